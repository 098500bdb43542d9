// The exporter with the hybrid head (onnx/heads): its logits must equal the documented formula computed in JS, padding included.
import type * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUseLiteModel } from '../../onnx/exporters/use-lite';
import { ValidationError } from '../../src/errors';
import { readUseLiteCheckpoint } from '../../training/encoders/use-lite/checkpoint';
import type { UseLiteParams } from '../../onnx/params/use-lite-params';
import type { HybridHeadParams } from '../../onnx/params/hybrid-head-params';
import { zeroHead } from '../../training/heads/zero-head';
import { createSession, maxAbsDiff, runOrt, TEST_HYBRID_HEAD } from './helpers/exported-model';
import { reviewTexts as readReviews } from '../helpers/reviews';
import { referenceTokenizer } from '../helpers/use-reference-tokens';

const V = 8002;
const B = TEST_HYBRID_HEAD.config.bigramBuckets;
const HYBRID = TEST_HYBRID_HEAD;

/** logit = emb·w + b + Σ_t u[id_t]/√max(n,1) + Σ_t v[(id_t·V + id_{t+1}) mod B]/√max(n−1,1) */
function jsLogit(emb: Float32Array, ids: number[], h: HybridHeadParams): number {
  let logit = emb.reduce((a, v, i) => a + v * h.embeddingWeight.data[i], h.bias);
  logit += ids.reduce((a, id) => a + h.unigramWeight!.data[id], 0) / Math.sqrt(Math.max(ids.length, 1));
  let bi = 0;
  for (let t = 0; t + 1 < ids.length; t++) bi += h.bigramWeight!.data[(ids[t] * V + ids[t + 1]) % B];
  return logit + bi / Math.sqrt(Math.max(ids.length - 1, 1));
}

describe('USE-lite export with the hybrid head', () => {
  let params: UseLiteParams;
  let session: ort.InferenceSession;
  let rows: number[][];

  beforeAll(async () => {
    params = await readUseLiteCheckpoint();
    session = await createSession(buildUseLiteModel({ params, head: HYBRID }));
    const tokenize = referenceTokenizer();
    rows = [[43], [43, 780], ...(await readReviews(10)).map((r) => tokenize(r, 128))];
  });
  afterAll(async () => {
    await session?.release();
  });

  it('matches the JS formula on padded batches', async () => {
    const out = await runOrt(session, rows);
    const expected = rows.map((ids, b) => jsLogit(out.embedding[b], ids, HYBRID));
    const diff = maxAbsDiff(out.logits, expected);
    console.info(`[hybrid] max |logit - JS| = ${diff.toExponential(3)}`);
    expect(diff).toBeLessThanOrEqual(1e-5);
    expect(
      maxAbsDiff(
        out.probability,
        expected.map((l) => 1 / (1 + Math.exp(-l))),
      ),
    ).toBeLessThanOrEqual(1e-6);
  });

  it('exports the zero head (bare encoder): logits 0, probability 0.5', async () => {
    const zero = await createSession(buildUseLiteModel({ params, head: zeroHead(512, V) }));
    const out = await runOrt(zero, rows.slice(0, 3));
    expect(out.logits).toEqual([0, 0, 0]);
    expect(out.probability).toEqual([0.5, 0.5, 0.5]);
    await zero.release();
  });

  it('refuses a head built for another vocabulary', () => {
    const wrong = { ...HYBRID, config: { ...HYBRID.config, vocabSize: 30522 } };
    expect(() => buildUseLiteModel({ params, head: wrong })).toThrow(ValidationError);
  });
});
