// Full mode with a frozen lower layer: cached states give the forward pass and gradients of the uncached encoder.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../training/backend/index';
import { readUseLiteCheckpoint, UseLiteEncoder } from '../../training/encoders/index';
import { HybridHead } from '../../training/heads/hybrid-head';
import { fullModeSpec } from '../../training/modes/full-mode';
import { StateCache, stateLayout } from '../../training/modes/state-cache';
import { USE_LITE_ARCHITECTURE } from '../../onnx/params/use-lite-params';
import { silentLogger } from '../../src/logging/index';
import { padBatch, referenceReviewIds } from '../helpers/use-reference-tokens';

const TOP_ONLY = { freezeEmbeddings: true, freezeLowerLayer: true };
let encoder: UseLiteEncoder;
let ids: Int32Array[];

beforeAll(async () => {
  await selectBackend({ logger: silentLogger() });
  ids = (await referenceReviewIds(24)).map((r) => Int32Array.from(r));
  encoder = UseLiteEncoder.fromParams(await readUseLiteCheckpoint());
});
afterAll(() => encoder?.dispose());

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

describe('UseLiteEncoder.frozenSplit', () => {
  it('exists only when both the embeddings and the lower layer are frozen', () => {
    expect(encoder.frozenSplit({})).toBeUndefined();
    expect(encoder.frozenSplit({ freezeLowerLayer: true })).toBeUndefined();
    expect(encoder.frozenSplit({ freezeEmbeddings: true })).toBeUndefined();
    expect(encoder.frozenSplit(TOP_ONLY)?.width).toBe(USE_LITE_ARCHITECTURE.hiddenDim);
  });

  it('upper(lower(x)) is apply(x), and valid states do not depend on padding', async () => {
    const split = encoder.frozenSplit(TOP_ONLY)!;
    const rows = ids.slice(0, 4).map((r) => Array.from(r));
    const { ids: t, mask } = padBatch(rows, 0);
    const whole = (await encoder.apply(t, mask).data()) as Float32Array;
    const states = split.lower(t, mask);
    const viaSplit = (await split.upper(states, mask).data()) as Float32Array;
    expect(maxAbsDiff(whole, viaSplit)).toBeLessThan(1e-6);
    // The shortest row alone, unpadded: its states equal its valid positions in the padded batch.
    const shortest = rows.reduce((a, b) => (a.length <= b.length ? a : b));
    const alone = padBatch([shortest], 0);
    const own = (await split.lower(alone.ids, alone.mask).data()) as Float32Array;
    const T = t.shape[1];
    const b = rows.indexOf(shortest);
    const inBatch = ((await states.data()) as Float32Array).subarray(
      b * T * split.width,
      (b * T + shortest.length) * split.width,
    );
    expect(maxAbsDiff(own, inBatch)).toBeLessThan(1e-5);
    tf.dispose([t, mask, states, alone.ids, alone.mask]);
  });
});

describe('fullModeSpec with cached frozen states', () => {
  it('gives the uncached spec its logits and the same gradients on every trainable variable', async () => {
    const labels = ids.map((_, i) => i % 2);
    const newHead = () => {
      const head = new HybridHead({
        embeddingDim: 512,
        vocabSize: USE_LITE_ARCHITECTURE.vocabSize,
        unigrams: true,
        bigramBuckets: 1024,
      });
      return head;
    };
    const head = newHead();
    const cached = await fullModeSpec(encoder, head, { ids, labels }, TOP_ONLY);
    const plain = await fullModeSpec(encoder, head, { ids, labels }, TOP_ONLY, { cacheFrozenStates: false });
    expect(cached.stateCache?.rows).toBe(ids.length);
    expect(cached.stateCache?.bytes).toBe(ids.reduce((n, r) => n + r.length, 0) * 512 * 4);
    expect(plain.stateCache).toBeUndefined();
    expect(cached.variables).toEqual(plain.variables);

    const rows = [3, 7, 1, 12, 20];
    const gradsOf = async (spec: typeof cached) => {
      const batch = spec.makeBatch(rows);
      const { value, grads } = tf.variableGrads(
        () => tf.sum<tf.Scalar>(tf.sigmoid(spec.forward(batch.inputs))),
        spec.variables,
      );
      const out = {
        value: (await value.data())[0],
        grads: await Promise.all(spec.variables.map(async (v) => (await grads[v.name].data()) as Float32Array)),
      };
      tf.dispose([value, ...Object.values(grads)]);
      batch.dispose();
      return out;
    };
    const a = await gradsOf(cached);
    const b = await gradsOf(plain);
    expect(Math.abs(a.value - b.value)).toBeLessThan(1e-5);
    a.grads.forEach((g, i) => {
      const scale = b.grads[i].reduce((m, x) => Math.max(m, Math.abs(x)), 1e-6);
      expect(maxAbsDiff(g, b.grads[i]) / scale, cached.variables[i].name).toBeLessThan(1e-3);
    });
    expect(maxAbsDiff(await cached.predict(rows), await plain.predict(rows))).toBeLessThan(1e-5);
    head.dispose();
  });

  it('filled in shares (as threads fill one shared buffer) holds exactly what one fill holds', async () => {
    const split = encoder.frozenSplit(TOP_ONLY)!;
    const rows = [0, 2, 5, 9, 11, 14, 18, 23];
    const whole = await StateCache.fill(split, ids, rows);
    const layout = stateLayout(ids, rows, split.width);
    expect(layout.floats * 4).toBe(whole.bytes);
    const buffer = new Float32Array(new SharedArrayBuffer(layout.floats * 4));
    await StateCache.fillPart(split, ids, layout, buffer, [0, 5, 11, 18]);
    await StateCache.fillPart(split, ids, layout, buffer, [2, 9, 14, 23]);
    const shared = StateCache.over(ids, layout, buffer, 0);
    const a = whole.batch(rows);
    const b = shared.batch(rows);
    expect(maxAbsDiff((await a.states.data()) as Float32Array, (await b.states.data()) as Float32Array)).toBe(0);
    // A share left unfilled shows: its rows stay zero.
    const half = new Float32Array(layout.floats);
    await StateCache.fillPart(split, ids, layout, half, [0, 5, 11, 18]);
    const c = StateCache.over(ids, layout, half, 0).batch([2]);
    expect(Math.max(...((await c.states.data()) as Float32Array).map(Math.abs))).toBe(0);
    await expect(StateCache.fillPart(split, ids, layout, half, [1])).rejects.toThrow(
      /row 1 is not in the state layout/,
    );
    tf.dispose([a, b, c].flatMap((x) => [x.states, x.ids, x.mask]));
  });
});
