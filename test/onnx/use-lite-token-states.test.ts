// The token_states output: what the mean pooling reads, so that src/explain's TypeScript tail reproduces the logits from it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUseLiteModel, quantizeModel, TOKEN_STATES_OUTPUT } from '../../onnx';
import { OnnxSession } from '../../src/engine';
import { DRIVER_TAIL_IO } from '../../onnx/explain/driver-tail-graph';
import { readUseLiteTail, type ReadTail } from '../../src/explain';
import { silentLogger } from '../../src/logging';
import { readUseLiteCheckpoint } from '../../training/encoders/use-lite/checkpoint';
import type { UseLiteParams } from '../../onnx/params/use-lite-params';
import { referenceReviewIds } from '../helpers/use-reference-tokens';
import { TEST_HEAD, TEST_HYBRID_HEAD } from './helpers/exported-model';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'token-states-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface TailErrors {
  /** Largest |TypeScript tail(mean of states) − logit| over the rows. */
  typescript: number;
  /** The same with the dense part run as a side graph on the model's session (what serving uses). */
  sideGraph: number;
  /** Largest |side graph − TypeScript| over the rows. */
  between: number;
}

/** Both tails against the model's logits, rows run as one padded batch. */
async function tailErrors(file: string, read: ReadTail, rows: number[][]): Promise<TailErrors> {
  const session = await OnnxSession.create({ modelPath: file, providers: ['cpu'], threads: 1, logger: silentLogger() });
  try {
    expect(session.supportsTokenStates).toBe(true);
    const onGraph = read.onGraph(await session.openSideGraph({ bytes: read.graphBytes(), ...DRIVER_TAIL_IO }));
    expect(onGraph.runsOn).toBe('side-graph');
    const out = await session.run(
      rows.map((r) => Int32Array.from(r)),
      { tokenStates: true },
    );
    const ts = out.tokenStates!;
    expect(ts.dim).toBe(read.typescript.dim);
    const pooled = new Float32Array(rows.length * ts.dim);
    rows.forEach((ids, b) => {
      for (let t = 0; t < ids.length; t++)
        for (let d = 0; d < ts.dim; d++)
          pooled[b * ts.dim + d] += ts.data[(b * ts.sequence + t) * ts.dim + d] / ids.length;
    });
    // All rows in one call, as decomposeWindows makes it.
    const viaTs = await read.typescript.logits(pooled, rows);
    const viaGraph = await onGraph.logits(pooled, rows);
    const worst = (a: ArrayLike<number>, b: ArrayLike<number>) =>
      Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
    // Plain scoring does not fetch them.
    expect((await session.run([Int32Array.from(rows[0])])).tokenStates).toBeUndefined();
    return {
      typescript: worst(viaTs, out.logits),
      sideGraph: worst(viaGraph, out.logits),
      between: worst(viaTs, viaGraph),
    };
  } finally {
    await session.dispose();
  }
}

describe('USE-lite token_states output', () => {
  let params: UseLiteParams;
  let rows: number[][];
  beforeAll(async () => {
    params = await readUseLiteCheckpoint();
    rows = [[43], [43, 780], ...(await referenceReviewIds(12))];
  });

  for (const [name, head] of [
    ['hybrid', TEST_HYBRID_HEAD],
    ['linear', TEST_HEAD],
  ] as const) {
    it(`lets the fp32 tail reproduce the ${name} head's logits, padding included`, async () => {
      const file = path.join(dir, `${name}.onnx`);
      fs.writeFileSync(file, buildUseLiteModel({ params, head }));
      const tail = await readUseLiteTail(file);
      if ('missing' in tail) throw new Error(tail.missing);
      const errors = await tailErrors(file, tail, rows);
      expect(errors.typescript).toBeLessThan(2e-4);
      expect(errors.sideGraph).toBeLessThan(2e-4);
      expect(errors.between).toBeLessThan(1e-4);
    });
  }

  it('survives int8 quantization, whose logits the fp32 tail still tracks closely', async () => {
    const bytes = buildUseLiteModel({ params, head: TEST_HYBRID_HEAD });
    const fp32 = path.join(dir, 'q-fp32.onnx');
    const int8 = path.join(dir, 'q-int8.onnx');
    fs.writeFileSync(fp32, bytes);
    fs.writeFileSync(int8, quantizeModel(bytes).bytes);
    const tail = await readUseLiteTail(fp32);
    if ('missing' in tail) throw new Error(tail.missing);
    const errors = await tailErrors(int8, tail, rows);
    console.log(`int8 logit vs fp32 tail on int8 token states: max |Δ| ${errors.typescript.toFixed(5)}`);
    expect(errors.typescript).toBeLessThan(0.05);
    expect(errors.between).toBeLessThan(1e-4);
  });

  it('can be left out, and then the tail reader says there is nothing to decompose with', async () => {
    const file = path.join(dir, 'no-states.onnx');
    fs.writeFileSync(file, buildUseLiteModel({ params, head: TEST_HEAD, tokenStates: false }));
    const session = await OnnxSession.create({
      modelPath: file,
      providers: ['cpu'],
      threads: 1,
      logger: silentLogger(),
    });
    expect(session.supportsTokenStates).toBe(false);
    expect((await session.run([Int32Array.of(43)], { tokenStates: true })).tokenStates).toBeUndefined();
    await session.dispose();
    expect(TOKEN_STATES_OUTPUT).toBe('token_states');
  });
});
