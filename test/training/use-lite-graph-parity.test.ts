// Our trainable USE-lite against the original TF.js graph on real reviews: parity, padding, long inputs, backend.
import { Writable } from 'node:stream';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/index';
import { selectBackend } from '../../training/backend/index';
import type { SelectedBackend } from '../../training/backend/index';
import { readUseLiteCheckpoint, UseLiteEncoder } from '../../training/encoders/index';
import { loadUseGraphModel, runUseGraph } from '../helpers/load-use-graph';
import { padBatch, referenceReviewIds, USE_MAX_TOKENS as MAX_TOKENS } from '../helpers/use-reference-tokens';

const BATCH = 32;

async function embed(encoder: UseLiteEncoder, rows: number[][], padId = 0, length?: number): Promise<Float32Array[]> {
  const { ids, mask } = padBatch(rows, padId, length);
  const out = encoder.apply(ids, mask);
  const data = (await out.data()) as Float32Array;
  tf.dispose([ids, mask, out]);
  return rows.map((_, b) => data.slice(b * 512, (b + 1) * 512));
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

let backend: SelectedBackend;
const logLines: { level: number; msg: string }[] = [];
let encoder: UseLiteEncoder;
let tokenIds: number[][];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  backend = await selectBackend({ logger: createLogger({ level: 'debug', destination: sink }) });
  tokenIds = await referenceReviewIds(200);
  encoder = UseLiteEncoder.fromParams(await readUseLiteCheckpoint());
});

afterAll(() => encoder?.dispose());

describe('backend', () => {
  it('selects a backend that works here and logs the choice', () => {
    expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(backend.name);
    expect(tf.getBackend()).toBe(backend.name.startsWith('tensorflow') ? 'tensorflow' : backend.name);
    const info = logLines.filter((l) => l.level === 30 && l.msg.startsWith('TF.js backend: '));
    expect(info).toHaveLength(1);
    expect(info[0].msg).toContain(`TF.js backend: ${backend.name}`);
    for (const failed of backend.fellBackFrom) expect(info[0].msg).toContain(`${failed} unavailable: `);
    expect(logLines.filter((l) => l.level === 40)).toHaveLength(backend.fellBackFrom.length);
  });
});

describe('USE-lite parity with the original graph', () => {
  it('matches the graph on 200 real reviews (batched, padded, masked) within 1e-4', async () => {
    const graph = await loadUseGraphModel();
    let t0 = performance.now();
    const reference = await runUseGraph(graph, tokenIds, BATCH);
    const graphMs = performance.now() - t0;
    graph.dispose();
    const ours: Float32Array[] = [];
    t0 = performance.now();
    for (let s = 0; s < tokenIds.length; s += BATCH) ours.push(...(await embed(encoder, tokenIds.slice(s, s + BATCH))));
    const oursMs = performance.now() - t0;
    const diffs = ours.map((o, i) => maxAbsDiff(o, reference[i]));
    const worst = Math.max(...diffs);
    console.info(
      `[${backend.name}] USE-lite parity over ${tokenIds.length} reviews: max |Δ| ${worst.toExponential(2)}; ` +
        `ours ${((tokenIds.length / oursMs) * 1000).toFixed(1)} texts/s, graph ${((tokenIds.length / graphMs) * 1000).toFixed(1)} texts/s`,
    );
    expect(tokenIds.some((r) => r.length === MAX_TOKENS)).toBe(true);
    expect(worst).toBeLessThanOrEqual(1e-4);
    // Guard against a vacuous comparison: different texts must give different embeddings.
    expect(maxAbsDiff(ours[0], ours[1])).toBeGreaterThan(1e-2);
  });

  it('gives a text the same embedding alone and inside a padded batch (≤ 1e-5), whatever the pad id', async () => {
    const short = tokenIds.find((r) => r.length < 20) as number[];
    const long = tokenIds.filter((r) => r.length === MAX_TOKENS).slice(0, 3);
    const [alone] = await embed(encoder, [short]);
    const batched = await embed(encoder, [long[0], short, long[1], long[2]]);
    const oddPads = await embed(encoder, [long[0], short, long[1], long[2]], 4242);
    expect(maxAbsDiff(alone, batched[1])).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(batched[1], oddPads[1])).toBe(0);
    expect(maxAbsDiff(batched[0], (await embed(encoder, [long[0]]))[0])).toBeLessThanOrEqual(1e-5);
  });

  it('runs sequences longer than the original 128-token limit', async () => {
    const longRow = [...tokenIds[0], ...tokenIds[1], ...tokenIds[2], ...tokenIds[3]].slice(0, 300);
    expect(longRow.length).toBeGreaterThan(MAX_TOKENS);
    const [out] = await embed(encoder, [longRow]);
    expect(out.every(Number.isFinite)).toBe(true);
    expect(Math.hypot(...out)).toBeCloseTo(1, 5);
  });

  it('does not leak tensors', async () => {
    const before = tf.memory().numTensors;
    await embed(encoder, tokenIds.slice(0, 4));
    expect(tf.memory().numTensors).toBe(before);
  });
});
