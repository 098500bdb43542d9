// The trainable surface of BertEncoder: in-graph special tokens, gradients to every variable, freezing, parameter export.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelLoadError, ValidationError } from '../../../src/errors';
import { silentLogger } from '../../../src/logging';
import { selectBackend } from '../../../training/backend';
import { BertEncoder, withSpecialTokens } from '../../../training/encoders/bert';
import { padIds } from '../../../training/modes/head-mode';
import { tinyBert } from './helpers/tiny-bert';

beforeAll(async () => {
  await selectBackend({ logger: silentLogger(), prefer: 'wasm' });
});

describe('BertEncoder', () => {
  it('wraps every row in [CLS] … [SEP] whatever its padding', async () => {
    const x = padIds([Int32Array.from([7, 8, 9]), Int32Array.from([5]), Int32Array.from([])]);
    const full = withSpecialTokens(x.ids, x.mask, 101, 102);
    expect(await full.ids.array()).toEqual([
      [101, 7, 8, 9, 102],
      [101, 5, 102, 0, 0],
      [101, 102, 0, 0, 0],
    ]);
    expect(await full.mask.array()).toEqual([
      [1, 1, 1, 1, 1],
      [1, 1, 1, 0, 0],
      [1, 1, 0, 0, 0],
    ]);
    tf.dispose([x.ids, x.mask, full.ids, full.mask]);
  });

  it('sends finite, non-zero gradients to every variable and exports what it trained', async () => {
    const params = tinyBert({ pooling: 'pooler' });
    const encoder = BertEncoder.fromParams(params);
    const vars = encoder.trainableVariables();
    expect(vars).toHaveLength(5 + 2 * 16 + 2);
    const x = padIds([Int32Array.from([2023, 2003, 1037]), Int32Array.from([3376])]);
    const direction = tf.tensor2d(
      Float32Array.from({ length: 64 }, (_, i) => Math.sin(i)),
      [2, 32],
    );
    const { value, grads } = tf.variableGrads(
      () => tf.sum<tf.Scalar>(tf.mul(encoder.apply(x.ids, x.mask), direction)),
      vars,
    );
    for (const v of vars) {
      const g = (await grads[v.name].data()) as Float32Array;
      expect(g.every(Number.isFinite), v.name).toBe(true);
      expect(
        g.some((z) => z !== 0),
        v.name,
      ).toBe(true);
    }
    // The padding slot's id (0) is never looked up: [PAD]'s row gets no gradient.
    const word = (await grads[encoder.namedVariables().get('wordEmbeddings')!.name].data()) as Float32Array;
    expect(word.subarray(0, 32).every((z) => z === 0)).toBe(true);
    tf.dispose([value, ...Object.values(grads), direction, x.ids, x.mask]);
    const exported = await encoder.toParams();
    expect(exported.layers[1].ffn2Kernel.data).toEqual(params.layers[1].ffn2Kernel.data);
    expect(exported.poolerKernel?.shape).toEqual([32, 32]);
    encoder.dispose();
  });

  it('leaves frozen variables out and refuses rows longer than its positions', () => {
    const encoder = BertEncoder.fromParams(tinyBert({ maxPositions: 6 }));
    const paths = (opts: Parameters<BertEncoder['trainableVariables']>[0]) => {
      const byVar = new Map([...encoder.namedVariables()].map(([p, v]) => [v, p]));
      return encoder.trainableVariables(opts).map((v) => byVar.get(v)!);
    };
    expect(paths({ freezeEmbeddings: true }).some((p) => /Embeddings|embLn/.test(p))).toBe(false);
    expect(paths({ freezeLowerLayer: true }).some((p) => p.startsWith('layers.0.'))).toBe(false);
    expect(paths({ freezeLowerLayer: true }).some((p) => p.startsWith('layers.1.'))).toBe(true);
    const x = padIds([Int32Array.from([1, 2, 3, 4, 5])]);
    expect(() => encoder.apply(x.ids, x.mask)).toThrow(ValidationError);
    tf.dispose([x.ids, x.mask]);
    encoder.dispose();
  });

  it('refuses parameters that do not fit their architecture', () => {
    const params = tinyBert();
    expect(() => BertEncoder.fromParams({ ...params, layers: params.layers.slice(1) })).toThrow(
      /has 1 layers, its config says 2/,
    );
    expect(() =>
      BertEncoder.fromParams({
        ...params,
        arch: { ...params.arch, pooling: 'pooler' },
        poolerKernel: undefined,
        poolerBias: undefined,
      }),
    ).toThrow(ModelLoadError);
  });
});
