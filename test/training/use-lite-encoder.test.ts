// The trainable surface of UseLiteEncoder: parameter export, gradients, freezing, variable naming.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../training/backend/index';
import { readUseLiteCheckpoint, UseLiteEncoder } from '../../training/encoders/index';
import type { UseLiteParams } from '../../training/encoders/index';
import { silentLogger } from '../../src/logging/index';
import { padBatch, referenceReviewIds } from '../helpers/use-reference-tokens';

// Byte comparison: a deep toEqual over 2M floats takes tens of seconds.
const sameBytes = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

let params: UseLiteParams;
let encoder: UseLiteEncoder;
let tokenIds: number[][];

beforeAll(async () => {
  await selectBackend({ logger: silentLogger() });
  tokenIds = await referenceReviewIds(40);
  params = await readUseLiteCheckpoint();
  encoder = UseLiteEncoder.fromParams(params);
});

afterAll(() => encoder?.dispose());

describe('training surface', () => {
  it('exports exactly the parameters it was built from', async () => {
    const out = await encoder.toParams();
    expect(out.layers[0].residualKernel?.shape).toEqual([256, 512]);
    expect(out.layers[1].residualKernel).toBeUndefined();
    expect(out.layers[1].qkvKernel.shape).toEqual([512, 1536]);
    expect(sameBytes(out.tokenEmbedding.data, params.tokenEmbedding.data)).toBe(true);
    expect(sameBytes(out.layers[1].ffn2Kernel.data, params.layers[1].ffn2Kernel.data)).toBe(true);
    expect(sameBytes(out.invTimescales.data, params.invTimescales.data)).toBe(true);
    expect(out.tanhBias.data).not.toBe(params.tanhBias.data);
  });

  it('sends non-zero finite gradients to every trainable variable, none to padding', async () => {
    const rows = tokenIds.filter((r) => r.length < 24 && !r.includes(0)).slice(0, 3);
    const { ids, mask } = padBatch(rows, 0);
    const direction = tf.tensor2d(
      Float32Array.from({ length: rows.length * 512 }, (_, i) => Math.sin(i)),
      [rows.length, 512],
    );
    const vars = encoder.trainableVariables();
    expect(vars).toHaveLength(29);
    const { value, grads } = tf.variableGrads(
      () => tf.sum<tf.Scalar>(tf.mul(encoder.apply(ids, mask), direction)),
      vars,
    );
    expect(Number.isFinite((await value.data())[0])).toBe(true);
    for (const v of vars) {
      const g = (await grads[v.name].data()) as Float32Array;
      expect(g.every(Number.isFinite), v.name).toBe(true);
      expect(
        g.some((x) => x !== 0),
        v.name,
      ).toBe(true);
    }
    // Padded slots look up row 0 and are masked: that row must get nothing.
    const embGrad = (await grads[encoder.namedVariables().get('tokenEmbedding')!.name].data()) as Float32Array;
    expect(embGrad.subarray(0, 256).every((x) => x === 0)).toBe(true);
    tf.dispose([ids, mask, direction, value, ...Object.values(grads)]);
  });

  it('leaves out frozen variables', () => {
    const names = (opts: Parameters<UseLiteEncoder['trainableVariables']>[0]) => {
      const byVar = new Map([...encoder.namedVariables()].map(([p, v]) => [v, p]));
      return encoder.trainableVariables(opts).map((v) => byVar.get(v) as string);
    };
    const all = names({});
    expect(all).toContain('tokenEmbedding');
    expect(names({ freezeEmbeddings: true })).toEqual(all.filter((p) => p !== 'tokenEmbedding'));
    const upper = names({ freezeLowerLayer: true });
    expect(upper).toEqual(all.filter((p) => !p.startsWith('layers.0.')));
    expect(upper).toContain('tokenEmbedding');
    expect(names({ freezeEmbeddings: true, freezeLowerLayer: true })).toEqual(
      ['layers.1.', 'tanh'].flatMap((pre) => all.filter((p) => p.startsWith(pre))),
    );
  });

  it('gives a second encoder in the process its own variable names', () => {
    const second = UseLiteEncoder.fromParams(params);
    const first = encoder.trainableVariables().map((v) => v.name);
    expect(first[0]).toBe('use_lite/tokenEmbedding');
    expect(second.trainableVariables()[0].name).toBe('use_lite_2/tokenEmbedding');
    second.dispose();
  });
});
