// cv:few-shot — learning curve at n = 16, 64, 256 balanced labels (--sizes; 5 draws each, scored on the rest): few-shot and head modes vs TF-IDF + LR.
import { parseArgs } from 'node:util';
import { TfidfBaseline } from '../src/baseline';
import { createLogger } from '../src/logging';
import { rocAuc } from '../src/metrics';
import { rng, shuffle } from '../src/sampling/splits';
import { USE_LITE_ARCHITECTURE } from '../onnx/params/use-lite-params';
import { HybridHead } from '../training/heads/hybrid-head';
import { trainLoop } from '../training/loop/train-loop';
import { headModeSpec } from '../training/modes/head-mode';
import { DEFAULT_FEW_SHOT_PROMPTS } from '../training/few-shot/default-prompts';
import { fitFewShotHead, priorDirection } from '../training/few-shot/few-shot-head';
import { frozenCvData } from './lib/cv-data';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'fixtures/data/fine_foods_train.csv' },
    sizes: { type: 'string', default: '16,64,256' },
    draws: { type: 'string', default: '5' },
    methods: { type: 'string', default: 'tfidf,zero-shot,few-shot,head-emb,head-emb+uni+bi' },
    // Swaps the classes: label descriptions that point the wrong way, to check that few-shot mode learns around them.
    'flip-labels': { type: 'boolean', default: false },
  },
});
const logger = createLogger({ level: 'warn' });
const { rows, ids, embeddings, tokenizer, frozen } = await frozenCvData({
  data: { file: values.data, textCol: 'review', labelCol: 'score', positive: ['other'] },
  maxTokens: 256,
  logger,
});
const labels = rows.map((r) => (values['flip-labels'] ? 1 - r.label : r.label));
const texts = rows.map((r) => r.text);
const D = USE_LITE_ARCHITECTURE.outputDim;
// Few-shot mode's label descriptions through the same frozen encoder, as training/pipeline/few-shot-phase.ts does.
const prompts = DEFAULT_FEW_SHOT_PROMPTS;
const promptIds = (await tokenizer.encodeBatch([...prompts.positive, ...prompts.negative])).map((t) => t.ids);
const promptRows = (await frozen.engine.embedTokenized(promptIds)).embeddings;
const direction = priorDirection(
  Float32Array.from(promptRows.flatMap((e) => Array.from(e))),
  D,
  prompts.positive.length,
);
await frozen.engine.dispose();

function fewShotAuc(train: number[], test: number[]): number {
  const head = fitFewShotHead({ embeddings, dim: D, labels, train, direction });
  const w = head.embeddingWeight.data;
  const score = (i: number) => {
    let z = head.bias;
    for (let d = 0; d < D; d++) z += w[d] * embeddings[i * D + d];
    return z;
  };
  return rocAuc(
    test.map(score),
    test.map((i) => labels[i]),
  );
}

/** The zero-shot prior alone (no labels used): how much the label descriptions know before any training. */
function zeroShotAuc(test: number[]): number {
  const score = (i: number) => {
    let z = 0;
    for (let d = 0; d < D; d++) z += direction[d] * embeddings[i * D + d];
    return z;
  };
  return rocAuc(
    test.map(score),
    test.map((i) => labels[i]),
  );
}

/** n/2 positives and n/2 negatives drawn with `seed`; the rest of the file is the test set. */
function draw(n: number, seed: number): { train: number[]; test: number[] } {
  const r = rng(seed);
  const pos = shuffle(
    labels.flatMap((y, i) => (y === 1 ? [i] : [])),
    r,
  ).slice(0, n / 2);
  const neg = shuffle(
    labels.flatMap((y, i) => (y === 0 ? [i] : [])),
    r,
  ).slice(0, n / 2);
  const train = [...pos, ...neg];
  const inTrain = new Set(train);
  return { train, test: labels.map((_, i) => i).filter((i) => !inTrain.has(i)) };
}

async function headAuc(variant: string, train: number[], test: number[], seed: number): Promise<number> {
  const head = new HybridHead({
    embeddingDim: D,
    vocabSize: USE_LITE_ARCHITECTURE.vocabSize,
    unigrams: variant.includes('uni'),
    bigramBuckets: variant.includes('bi') ? 1 << 18 : 0,
  });
  const spec = headModeSpec(head, { embeddings, embeddingDim: D, ids, labels });
  // No rows to spare for early stopping at n = 16: fixed epochs, the loop's validation is the training set.
  await trainLoop({
    spec,
    labels,
    train,
    valid: train,
    options: {
      epochs: 40,
      batchSize: 16,
      learningRate: 0.01,
      warmupFraction: 0.1,
      weightDecay: 0.01,
      clipNorm: 1,
      imbalance: 'none',
      patience: 1000,
      seed,
    },
  });
  const auc = rocAuc(
    await spec.predict(test),
    test.map((i) => labels[i]),
  );
  head.dispose();
  return auc;
}

const curve: Record<string, Record<string, { mean: number; aucs: number[] }>> = {};
for (const n of values.sizes.split(',').map(Number)) {
  for (const method of values.methods.split(',')) {
    const aucs: number[] = [];
    for (let d = 0; d < Number(values.draws); d++) {
      const { train, test } = draw(n, 1000 + d);
      if (method === 'tfidf') {
        const m = TfidfBaseline.fit(
          train.map((i) => texts[i]),
          train.map((i) => labels[i]),
          { minDf: 1, maxFeatures: 50_000, c: 1, maxIterations: 200 },
        );
        aucs.push(
          rocAuc(
            m.predict(test.map((i) => texts[i])),
            test.map((i) => labels[i]),
          ),
        );
      } else if (method === 'few-shot') aucs.push(fewShotAuc(train, test));
      else if (method === 'zero-shot') aucs.push(zeroShotAuc(test));
      else aucs.push(await headAuc(method.replace('head-', ''), train, test, d));
    }
    (curve[`n=${n}`] ??= {})[method] = { mean: aucs.reduce((a, b) => a + b, 0) / aucs.length, aucs };
  }
}
process.stdout.write(
  `${JSON.stringify({ data: values.data, rows: labels.length, draws: Number(values.draws), flipLabels: values['flip-labels'], curve }, null, 2)}\n`,
);
