// The exported BERT against a plain-loop reference written from the BERT definition over the raw safetensors tensors and the
// original tokenizer (post-processor [CLS]/[SEP] included): checks name mapping, transposes and in-graph special tokens.
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBertModel } from '../../../onnx/exporters/bert';
import { TextTokenizer } from '../../../src/tokenize';
import { parseSafetensors, readHfCheckpoint } from '../../../training/encoders/hf-checkpoint';
import { zeroHead } from '../../../training/heads/zero-head';
import { padBatch } from '../helpers/int64-batch';
import { BERT_TOKENIZER, tinyBert, tmpDir, writeTinyCheckpoint } from '../../training/bert/helpers/tiny-bert';

type Tensors = Map<string, { shape: number[]; data: Float32Array }>;
const root = tmpDir('bert-ref-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): independent of any erf kernel. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

/** rows × nn.Linear(W [out, in], b): y = x·Wᵀ + b. */
const linear = (x: number[][], w: { shape: number[]; data: Float32Array }, b: { data: Float32Array }) =>
  x.map((row) =>
    Array.from({ length: w.shape[0] }, (_, o) =>
      row.reduce((s, v, i) => s + v * w.data[o * w.shape[1] + i], b.data[o]),
    ),
  );

const layerNorm = (x: number[][], g: { data: Float32Array }, b: { data: Float32Array }, eps: number) =>
  x.map((row) => {
    const mean = row.reduce((a, v) => a + v, 0) / row.length;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / row.length;
    return row.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * g.data[i] + b.data[i]);
  });

function referenceEmbedding(w: Tensors, ids: number[], heads: number, layers: number, eps: number): number[] {
  const t = (name: string) => w.get(name)!;
  const h = t('embeddings.word_embeddings.weight').shape[1];
  const row = (name: string, r: number) => Array.from(t(name).data.subarray(r * h, (r + 1) * h));
  let x = ids.map((id, p) =>
    row('embeddings.word_embeddings.weight', id).map(
      (v, i) =>
        v + row('embeddings.position_embeddings.weight', p)[i] + row('embeddings.token_type_embeddings.weight', 0)[i],
    ),
  );
  x = layerNorm(x, t('embeddings.LayerNorm.weight'), t('embeddings.LayerNorm.bias'), eps);
  const d = h / heads;
  for (let l = 0; l < layers; l++) {
    const p = `encoder.layer.${l}.`;
    const [q, k, v] = ['query', 'key', 'value'].map((n) =>
      linear(x, t(`${p}attention.self.${n}.weight`), t(`${p}attention.self.${n}.bias`)),
    );
    const context = x.map(() => new Array<number>(h).fill(0));
    for (let hd = 0; hd < heads; hd++) {
      for (let i = 0; i < x.length; i++) {
        const scores = x.map(
          (_, j) => q[i].slice(hd * d, (hd + 1) * d).reduce((s, qv, c) => s + qv * k[j][hd * d + c], 0) / Math.sqrt(d),
        );
        const max = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - max));
        const z = e.reduce((a, b) => a + b, 0);
        for (let j = 0; j < x.length; j++)
          for (let c = 0; c < d; c++) context[i][hd * d + c] += (e[j] / z) * v[j][hd * d + c];
      }
    }
    const attn = linear(context, t(`${p}attention.output.dense.weight`), t(`${p}attention.output.dense.bias`));
    const x1 = layerNorm(
      attn.map((r, i) => r.map((a, c) => a + x[i][c])),
      t(`${p}attention.output.LayerNorm.weight`),
      t(`${p}attention.output.LayerNorm.bias`),
      eps,
    );
    const inter = linear(x1, t(`${p}intermediate.dense.weight`), t(`${p}intermediate.dense.bias`)).map((r) =>
      r.map((a) => 0.5 * a * (1 + erf(a / Math.SQRT2))),
    );
    const out = linear(inter, t(`${p}output.dense.weight`), t(`${p}output.dense.bias`));
    x = layerNorm(
      out.map((r, i) => r.map((a, c) => a + x1[i][c])),
      t(`${p}output.LayerNorm.weight`),
      t(`${p}output.LayerNorm.bias`),
      eps,
    );
  }
  const mean = Array.from({ length: h }, (_, c) => x.reduce((s, r) => s + r[c], 0) / x.length);
  const norm = Math.sqrt(mean.reduce((s, v) => s + v * v, 0));
  return mean.map((v) => v / norm);
}

describe('exported BERT vs a from-the-definition reference', () => {
  it('gives the reference mean-pooled embedding for tokenizer-made [CLS] … [SEP] sequences', async () => {
    const dir = writeTinyCheckpoint(path.join(root, 'ckpt'), tinyBert({ layerNormEps: 1e-7 }, 11), { prefix: 'bert.' });
    const raw = parseSafetensors(fs.readFileSync(path.join(dir, 'model.safetensors')));
    const weights: Tensors = new Map([...raw].map(([name, t]) => [name.replace(/^bert\./, ''), t]));
    const texts = ['Support never answers, I am cancelling.', 'Lovely tea.', 'Ünïcödé — and punctuation?!'];
    const full = await (await TextTokenizer.create({ tokenizerJson: BERT_TOKENIZER })).encodeBatch(texts);

    const ckpt = await readHfCheckpoint({ dir });
    const bare = await (await TextTokenizer.create({ tokenizerJson: ckpt.tokenizerJson })).encodeBatch(texts);
    const session = await ort.InferenceSession.create(
      buildBertModel({ params: ckpt.params, head: zeroHead(32, 30522) }),
    );
    const { inputIds, mask, dims } = padBatch(bare.map((b) => [...b.ids]));
    const out = await session.run({
      input_ids: new ort.Tensor('int64', inputIds, dims),
      attention_mask: new ort.Tensor('int64', mask, dims),
    });
    await session.release();
    const got = out.embedding.data as Float32Array;
    let worst = 0;
    full.forEach((f, r) => {
      expect(f.ids[0]).toBe(101);
      const want = referenceEmbedding(weights, [...f.ids], 2, 2, 1e-7);
      want.forEach((v, c) => (worst = Math.max(worst, Math.abs(v - got[r * 32 + c]))));
    });
    console.info(`bert vs reference: max |Δembedding| ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(1e-4);
  });
});
