// The quantizer's own rules: per-column int8 weights, Gemm forms, and refusal of foreign or truncated graphs.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { DataType, GraphBuilder, attr } from '../../../onnx/proto';
import { quantizeColumns, quantizeModel, WEIGHT_LEVELS } from '../../../onnx/quantize';
import { ModelLoadError } from '../../../src/errors';
import { rng } from '../../../src/sampling';

const random = rng(7);
const uniform = (n: number, scale: number) => Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale);

/** A graph with the churnscope I/O whose embedding is x·W (+ bias) through one Gemm of the given form. */
function gemmModel(opts: { transB: 0 | 1; alpha: number; beta: number; k: number; n: number }) {
  const g = new GraphBuilder();
  const ids = g.input('input_ids', DataType.INT64, ['batch', 'sequence']);
  g.input('attention_mask', DataType.INT64, ['batch', 'sequence']);
  const x = g.op(
    'Cast',
    [g.op('Slice', [ids, g.constInt64('s', [0]), g.constInt64('e', [opts.k]), g.constInt64('a', [1])])],
    {
      to: attr.int(DataType.FLOAT),
    },
  );
  const w = uniform(opts.k * opts.n, 0.5);
  const bias = uniform(opts.n, 1);
  const wName = g.initializer('w', w, opts.transB ? [opts.n, opts.k] : [opts.k, opts.n]);
  const y = g.op('Gemm', [x, wName, g.initializer('c', bias, [opts.n])], {
    transB: attr.int(opts.transB),
    alpha: attr.float(opts.alpha),
    beta: attr.float(opts.beta),
  });
  const logits = g.op('ReduceSum', [y, g.constInt64('ax', [1])], { keepdims: attr.int(0) });
  g.output(y, DataType.FLOAT, ['batch', opts.n], 'embedding');
  g.output(logits, DataType.FLOAT, ['batch'], 'logits');
  g.output(g.op('Sigmoid', [logits]), DataType.FLOAT, ['batch'], 'probability');
  return g.encode();
}

async function embedding(bytes: Uint8Array, rows: number[][]): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(bytes);
  const seq = rows[0].length;
  const ids = new ort.Tensor('int64', BigInt64Array.from(rows.flat(), BigInt), [rows.length, seq]);
  const out = await s.run({ input_ids: ids, attention_mask: ids });
  await s.release();
  return out.embedding.data as Float32Array;
}

describe('quantizeColumns', () => {
  it('keeps every value within half a step of its column scale, zero point 0, range ±WEIGHT_LEVELS (7-bit, no AVX2 saturation)', () => {
    const [rows, cols] = [64, 5];
    const w = uniform(rows * cols, 1);
    for (let k = 0; k < rows; k++) w[k * cols + 3] *= 0.01; // a small column gets its own fine scale
    for (let k = 0; k < rows; k++) w[k * cols + 4] = 0;
    const { data, scales } = quantizeColumns(w, rows, cols);
    expect(scales[3]).toBeLessThan(scales[0] / 20);
    expect(scales[4]).toBe(1);
    for (let i = 0; i < w.length; i++) {
      expect(Math.abs(data[i])).toBeLessThanOrEqual(WEIGHT_LEVELS);
      expect(Math.abs(data[i] * scales[i % cols] - w[i])).toBeLessThanOrEqual(scales[i % cols] / 2 + 1e-7);
    }
  });
});

describe('quantizeModel', () => {
  for (const form of [
    { transB: 0, alpha: 1, beta: 1 },
    { transB: 1, alpha: 0.5, beta: 2 },
  ] as const) {
    it(`rewrites Gemm transB=${form.transB} alpha=${form.alpha} beta=${form.beta} and keeps its output`, async () => {
      const bytes = gemmModel({ ...form, k: 16, n: 8 });
      const q = quantizeModel(bytes);
      expect(q.quantized).toHaveLength(1);
      const rows = [Array.from({ length: 16 }, (_, i) => (i * 7) % 11), Array.from({ length: 16 }, (_, i) => i % 3)];
      const [a, b] = [await embedding(bytes, rows), await embedding(q.bytes, rows)];
      const scale = Math.max(...Array.from(a, Math.abs));
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(0.02 * scale);
    });
  }

  it('refuses a foreign graph, naming the file and the I/O it expected', () => {
    const g = new GraphBuilder();
    const x = g.input('pixels', DataType.FLOAT, ['batch', 4]);
    g.output(g.op('MatMul', [x, g.initializer('w', uniform(8, 1), [4, 2])]), DataType.FLOAT, ['batch', 2], 'y');
    expect(() => quantizeModel(g.encode(), 'other/model.onnx')).toThrow(
      /other\/model\.onnx is not a churnscope text model: expected inputs \[input_ids, attention_mask\]/,
    );
  });

  it('refuses a truncated file, whether or not the cut falls on a field boundary', () => {
    const bytes = gemmModel({ transB: 0, alpha: 1, beta: 1, k: 16, n: 8 });
    for (const cut of [bytes.length - 3, Math.floor(bytes.length / 2), 10]) {
      expect(() => quantizeModel(bytes.slice(0, cut), 'm.onnx'), `cut at ${cut}`).toThrow(ModelLoadError);
    }
  });

  it('refuses to quantize twice', () => {
    const once = quantizeModel(gemmModel({ transB: 0, alpha: 1, beta: 1, k: 16, n: 8 })).bytes;
    expect(() => quantizeModel(once, 'q.onnx')).toThrow(/q\.onnx is already quantized/);
  });
});
