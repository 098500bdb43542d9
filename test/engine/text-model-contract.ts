// The TextModel contract every ONNX-backed implementation must keep (in-thread session, worker threads), on the committed bundle.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataType, GraphBuilder } from '../../onnx';
import { OnnxSession, type TextModel } from '../../src/engine';
import { InferenceError, ServiceUnavailableError, ValidationError } from '../../src/errors';
import { silentLogger } from '../../src/logging';
import { TextTokenizer } from '../../src/tokenize';
import { reviewTexts } from '../helpers/reviews';

export const BUNDLE = path.resolve('models/default');
export const MODEL_FILE = path.join(BUNDLE, 'onnx/model.onnx');

/**
 * How far an implementation's probabilities and embeddings may sit from the reference (one sequence at a time, one
 * intra-op thread, in this thread). The same kernels run everywhere; only the order of float sums may change with
 * thread count and padding, which moves fp32 results by ~1e-7. Anything above this is a different computation.
 */
export const TOLERANCE = 1e-5;

/** Real review windows of varied length (short tickets to the 256-token cap), tokenized by the bundle's tokenizer. */
export async function contractWindows(count = 12): Promise<Int32Array[]> {
  const tokenizer = await TextTokenizer.create({ tokenizerJson: path.join(BUNDLE, 'tokenizer.json'), maxLength: 256 });
  const texts = [
    ...(await reviewTexts(count - 2)),
    'cancel',
    'I am cancelling: billed twice and support never answers.',
  ];
  return (await tokenizer.encodeBatch(texts)).map((t) => t.ids);
}

/** y = tanh(k·x) over float [rows, 3]: a side graph whose answer a test can compute. */
export function scaleGraph(k: number): Uint8Array {
  const g = new GraphBuilder('scale');
  const x = g.input('x', DataType.FLOAT, ['rows', 3]);
  const y = g.op('Tanh', [g.op('Mul', [x, g.constFloat('k', [k], [])])]);
  g.output(y, DataType.FLOAT, ['rows', 3], 'y');
  return g.encode();
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Registers the contract's tests for one implementation; `open` returns a fresh model over MODEL_FILE. */
export function describeTextModelContract(name: string, open: () => Promise<TextModel>): void {
  describe(`TextModel contract: ${name}`, () => {
    let model: TextModel;
    let windows: Int32Array[];
    let reference: { probability: number[]; embeddings: Float32Array[]; dim: number };

    beforeAll(async () => {
      windows = await contractWindows();
      const ref = await OnnxSession.create({
        modelPath: MODEL_FILE,
        providers: ['cpu'],
        threads: 1,
        logger: silentLogger(),
      });
      try {
        const singles = [];
        for (const w of windows) singles.push(await ref.run([w]));
        reference = {
          probability: singles.map((s) => s.probability[0]),
          embeddings: singles.map((s) => s.embedding),
          dim: ref.embeddingDim,
        };
      } finally {
        await ref.dispose();
      }
      model = await open();
    });
    afterAll(() => model?.dispose());

    it('gives the reference probabilities and embeddings for a padded batch of mixed lengths', async () => {
      expect(new Set(windows.map((w) => w.length)).size).toBeGreaterThan(4);
      const out = await model.run(windows);
      expect(maxAbsDiff(out.probability, reference.probability)).toBeLessThanOrEqual(TOLERANCE);
      windows.forEach((_, i) => {
        const row = out.embedding.subarray(i * out.embeddingDim, (i + 1) * out.embeddingDim);
        expect(maxAbsDiff(row, reference.embeddings[i])).toBeLessThanOrEqual(TOLERANCE);
      });
      // logits and probability are the same head output: probability = sigmoid(logit).
      out.logits.forEach((l, i) => expect(Math.abs(1 / (1 + Math.exp(-l)) - out.probability[i])).toBeLessThan(1e-6));
    });

    it('returns one row per sequence for every batch shape, including a batch of one and of none', async () => {
      expect(model.embeddingDim).toBe(reference.dim);
      for (const size of [1, 2, 5, windows.length]) {
        const out = await model.run(windows.slice(0, size));
        expect(out.embeddingDim).toBe(reference.dim);
        expect(out.embedding).toHaveLength(size * reference.dim);
        expect(out.logits).toHaveLength(size);
        expect(out.probability).toHaveLength(size);
        expect(maxAbsDiff(out.probability, reference.probability.slice(0, size))).toBeLessThanOrEqual(TOLERANCE);
      }
      const none = await model.run([]);
      expect([none.embedding.length, none.logits.length, none.probability.length]).toEqual([0, 0, 0]);
    });

    it('serves concurrent calls, each with its own rows', async () => {
      const outs = await Promise.all(windows.map((w) => model.run([w, w])));
      outs.forEach((o, i) => {
        expect(Math.abs(o.probability[0] - reference.probability[i])).toBeLessThanOrEqual(TOLERANCE);
        // Same sequence twice: equal up to float summation order (kernels tile rows differently).
        expect(Math.abs(o.probability[1] - o.probability[0])).toBeLessThanOrEqual(TOLERANCE);
      });
    });

    it('refuses bad input with typed errors and keeps working afterwards', async () => {
      await expect(model.run([windows[0], new Int32Array(0)])).rejects.toBeInstanceOf(ValidationError);
      await expect(model.run([Int32Array.of(5, -1)])).rejects.toBeInstanceOf(ValidationError);
      // Well formed but outside the vocabulary: ORT's Gather fails, which is the model's failure, not the caller's.
      await expect(model.run([Int32Array.of(5, 2_000_000_000)])).rejects.toBeInstanceOf(InferenceError);
      const after = await model.run([windows[0]]);
      expect(Math.abs(after.probability[0] - reference.probability[0])).toBeLessThanOrEqual(TOLERANCE);
    });

    it('returns token states only when asked, right-padded per row, the same as the reference session', async () => {
      expect(model.supportsTokenStates).toBe(true);
      const plain = await model.run(windows.slice(0, 3));
      expect(plain.tokenStates).toBeUndefined();
      const out = await model.run(windows.slice(0, 3), { tokenStates: true });
      const seq = Math.max(...windows.slice(0, 3).map((w) => w.length));
      expect(out.tokenStates?.sequence).toBe(seq);
      expect(out.tokenStates?.data).toHaveLength(3 * seq * out.tokenStates!.dim);
      const ref = await OnnxSession.create({
        modelPath: MODEL_FILE,
        providers: ['cpu'],
        threads: 1,
        logger: silentLogger(),
      });
      try {
        const single = await ref.run([windows[1]], { tokenStates: true });
        const row = out.tokenStates!.data.subarray(
          seq * out.tokenStates!.dim,
          (seq + windows[1].length) * out.tokenStates!.dim,
        );
        expect(maxAbsDiff(row, single.tokenStates!.data)).toBeLessThanOrEqual(TOLERANCE);
      } finally {
        await ref.dispose();
      }
    });

    it('runs a side graph next to the model, with its own rows per call, and refuses one with other names', async () => {
      const graph = await model.openSideGraph!({ bytes: scaleGraph(3), input: 'x', output: 'y' });
      const input = Float32Array.from({ length: 6 }, (_, i) => i - 2.5);
      const [a, b] = await Promise.all([graph.run(input, [2, 3]), graph.run(input.subarray(0, 3), [1, 3])]);
      // ORT's vectorised tanh is within a few float ulps of Math.tanh.
      expect(
        maxAbsDiff(
          a,
          Array.from(input, (v) => Math.tanh(3 * v)),
        ),
      ).toBeLessThan(1e-6);
      expect(Array.from(b)).toEqual(Array.from(a.subarray(0, 3)));
      // The caller's array is left intact (the worker gets a copy).
      expect(input[0]).toBe(-2.5);
      await expect(model.openSideGraph!({ bytes: scaleGraph(3), input: 'pooled', output: 'y' })).rejects.toThrow(
        /expected input pooled and output y/,
      );
    });

    it('refuses work once disposed, and a second dispose is harmless', async () => {
      const own = await open();
      await own.run([windows[0]]);
      await own.dispose();
      await own.dispose();
      await expect(own.run([windows[0]])).rejects.toBeInstanceOf(ServiceUnavailableError);
    });
  });
}
