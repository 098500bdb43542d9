// Parity of the exported graph (onnxruntime-node) with the ORIGINAL USE-lite TF.js graph on real reviews, and of its head with a JS computation.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadUseGraphModel, runUseGraph } from '../helpers/load-use-graph';
import {
  createSession,
  exportTestModel,
  maxAbsDiff,
  runOrt,
  TEST_HEAD,
  type OrtResult,
} from './helpers/exported-model';
import { reviewTexts as readReviews } from '../helpers/reviews';
import { referenceTokenizer } from '../helpers/use-reference-tokens';

const REVIEWS = 128;
const BATCH = 16;

describe('USE-lite ONNX export vs the original TF.js graph', () => {
  let session: ort.InferenceSession;
  let ids: number[][];
  const onnxOut: OrtResult[] = [];

  beforeAll(async () => {
    // Same kernels' maths as the cpu backend (checked to ~1e-7) but ~30x faster on this machine.
    if (!(await tf.setBackend('wasm'))) await tf.setBackend('cpu');
    await tf.ready();
    const tokenize = referenceTokenizer();
    ids = (await readReviews(REVIEWS)).map((r) => tokenize(r, 128));
    session = await createSession((await exportTestModel()).bytes);
    for (let s = 0; s < ids.length; s += BATCH) onnxOut.push(await runOrt(session, ids.slice(s, s + BATCH)));
  });
  afterAll(async () => {
    await session?.release();
  });

  it(`embeds ${REVIEWS} real reviews within 1e-4 of the TF graph (batches of ${BATCH}, padded)`, async () => {
    expect(ids.some((r) => r.length === 128)).toBe(true); // truncation exercised
    expect(new Set(ids.map((r) => r.length)).size).toBeGreaterThan(50); // and plenty of padding
    const model = await loadUseGraphModel();
    const reference = await runUseGraph(model, ids, BATCH);
    model.dispose();
    const ours = onnxOut.flatMap((o) => o.embedding);
    const diffs = ours.map((e, i) => maxAbsDiff(e, reference[i]));
    const worst = Math.max(...diffs);
    const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
    const tokens = ids.flat().length;
    console.info(
      `[parity] ${ids.length} reviews, ${tokens} tokens: max |ORT - TF| = ${worst.toExponential(3)}, mean per-review max = ${mean.toExponential(3)}`,
    );
    expect(ours).toHaveLength(REVIEWS);
    expect(worst).toBeLessThanOrEqual(1e-4);
  });

  it('outputs unit-norm embeddings [B,512] and a head matching sigmoid(emb·w + b) computed in JS', () => {
    let logitDiff = 0;
    let probDiff = 0;
    for (const out of onnxOut) {
      const batch = out.embedding.length;
      expect(out.dims).toEqual({ embedding: [batch, 512], logits: [batch], probability: [batch] });
      out.embedding.forEach((e, b) => {
        const norm = Math.sqrt(e.reduce((a, v) => a + v * v, 0));
        expect(norm).toBeCloseTo(1, 5);
        const logit = e.reduce((a, v, i) => a + v * TEST_HEAD.weight.data[i], TEST_HEAD.bias);
        logitDiff = Math.max(logitDiff, Math.abs(out.logits[b] - logit));
        probDiff = Math.max(probDiff, Math.abs(out.probability[b] - 1 / (1 + Math.exp(-logit))));
      });
    }
    console.info(
      `[head] max |logit - JS| = ${logitDiff.toExponential(3)}, max |probability - JS| = ${probDiff.toExponential(3)}`,
    );
    expect(logitDiff).toBeLessThanOrEqual(1e-5);
    expect(probDiff).toBeLessThanOrEqual(1e-6);
  });
});
