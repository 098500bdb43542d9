// TF.js BERT vs the exported ONNX graph under ONNX Runtime: embeddings and probabilities per pooling, padding, empty batches.
import fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBertModel } from '../../../onnx/exporters/bert';
import { silentLogger } from '../../../src/logging';
import { TextTokenizer } from '../../../src/tokenize';
import { selectBackend } from '../../../training/backend';
import { BertEncoder, type BertParams, type BertPooling } from '../../../training/encoders/bert';
import { inspectHfTokenizer } from '../../../training/encoders/hf-checkpoint';
import { HybridHead } from '../../../training/heads/hybrid-head';
import { padIds } from '../../../training/modes/head-mode';
import { padBatch } from '../helpers/int64-batch';
import { BERT_TOKENIZER, testHead, tinyBert } from '../../training/bert/helpers/tiny-bert';

const TEXTS = [
  'I am cancelling, support never answers.',
  'Great coffee!',
  'The delivery was late again and the box arrived crushed; I want a refund for all three orders.',
  'Naïve café owners — über-frustrated!!!',
  'ok',
];

let rows: Int32Array[];

beforeAll(async () => {
  await selectBackend({ logger: silentLogger(), prefer: 'wasm' });
  const bundleJson = inspectHfTokenizer(JSON.parse(fs.readFileSync(BERT_TOKENIZER, 'utf8')), BERT_TOKENIZER).bundleJson;
  const tokenizer = await TextTokenizer.create({ tokenizerJson: bundleJson, maxLength: 64 });
  rows = (await tokenizer.encodeBatch(TEXTS)).map((t) => t.ids);
});

async function tfjsOutputs(params: BertParams, batch: Int32Array[]) {
  const encoder = BertEncoder.fromParams(params);
  const head = new HybridHead(
    testHead(params.arch.hiddenSize, params.arch.vocabSize).config,
    testHead(params.arch.hiddenSize, params.arch.vocabSize),
  );
  const x = padIds(batch);
  const [emb, prob] = tf.tidy(() => {
    const e = encoder.apply(x.ids, x.mask);
    return [e, tf.sigmoid(head.apply(e, x.ids, x.mask))];
  });
  const out = { embedding: (await emb.data()) as Float32Array, probability: (await prob.data()) as Float32Array };
  tf.dispose([emb, prob, x.ids, x.mask]);
  encoder.dispose();
  head.dispose();
  return out;
}

async function ortOutputs(params: BertParams, batch: Int32Array[], extraPad = 0) {
  const bytes = buildBertModel({ params, head: testHead(params.arch.hiddenSize, params.arch.vocabSize) });
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const { inputIds, mask, dims } = padBatch(batch.map((r) => [...r]));
  // Widen every row with trailing padding so the batch is longer than any row: outputs must not move.
  const seq = dims[1] + extraPad;
  const ids2 = new BigInt64Array(dims[0] * seq);
  const mask2 = new BigInt64Array(dims[0] * seq);
  for (let b = 0; b < dims[0]; b++) {
    ids2.set(inputIds.subarray(b * dims[1], (b + 1) * dims[1]), b * seq);
    mask2.set(mask.subarray(b * dims[1], (b + 1) * dims[1]), b * seq);
  }
  const out = await session.run({
    input_ids: new ort.Tensor('int64', ids2, [dims[0], seq]),
    attention_mask: new ort.Tensor('int64', mask2, [dims[0], seq]),
  });
  await session.release();
  return { embedding: out.embedding.data as Float32Array, probability: out.probability.data as Float32Array, dims };
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>, n = a.length) => {
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('BERT export parity (TF.js vs ONNX Runtime)', () => {
  for (const pooling of ['mean', 'cls', 'pooler'] as BertPooling[]) {
    it(`agrees within 1e-4 with ${pooling} pooling, padding included`, async () => {
      const params = tinyBert({ pooling });
      const tfOut = await tfjsOutputs(params, rows);
      const ortOut = await ortOutputs(params, rows, 7);
      const n = rows.length;
      const embDiff = maxDiff(tfOut.embedding, ortOut.embedding, n * 32);
      const probDiff = maxDiff(tfOut.probability, ortOut.probability, n);
      console.info(
        `bert parity ${pooling}: max |Δembedding| ${embDiff.toExponential(2)}, max |Δp| ${probDiff.toExponential(2)}`,
      );
      expect(embDiff).toBeLessThanOrEqual(1e-4);
      expect(probDiff).toBeLessThanOrEqual(1e-4);
      // The probabilities are spread, so agreement is not a constant output agreeing with itself.
      expect(Math.max(...tfOut.probability) - Math.min(...tfOut.probability)).toBeGreaterThan(0.05);
    });
  }

  it('agrees within 1e-4 for DistilBERT (no token types) with a ReLU feed-forward', async () => {
    const params = tinyBert({ modelType: 'distilbert', typeVocabSize: 0, activation: 'relu' }, 9);
    const tfOut = await tfjsOutputs(params, rows);
    const ortOut = await ortOutputs(params, rows, 3);
    expect(maxDiff(tfOut.embedding, ortOut.embedding, rows.length * 32)).toBeLessThanOrEqual(1e-4);
    expect(maxDiff(tfOut.probability, ortOut.probability, rows.length)).toBeLessThanOrEqual(1e-4);
  });

  it('gives each row the same result alone as in a padded batch', async () => {
    const params = tinyBert();
    const together = await tfjsOutputs(params, rows);
    const alone = await tfjsOutputs(params, [rows[1]]);
    expect(maxDiff(alone.embedding, together.embedding.subarray(32, 64))).toBeLessThan(1e-5);
  });

  it('runs an empty batch', async () => {
    const params = tinyBert();
    const bytes = buildBertModel({ params, head: testHead(32, 30522) });
    const session = await ort.InferenceSession.create(bytes);
    const empty = new ort.Tensor('int64', new BigInt64Array(0), [0, 4]);
    const out = await session.run({ input_ids: empty, attention_mask: empty });
    expect(out.embedding.dims).toEqual([0, 32]);
    await session.release();
  });
});
