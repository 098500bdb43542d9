// cv:few-shot — learning curve at n = 16, 64, 256 balanced labels (5 draws each, scored on the rest): head variants vs TF-IDF + LR.
import { parseArgs } from 'node:util';
import { TfidfBaseline } from '../src/baseline';
import { readLabelledTexts } from '../src/ingest';
import { createLogger } from '../src/logging';
import { rocAuc } from '../src/metrics';
import { rng, shuffle } from '../src/sampling/splits';
import { buildUseLiteTokenizerJson, readUseLiteVocab, TextTokenizer } from '../src/tokenize';
import { USE_LITE_ARCHITECTURE } from '../onnx/params/use-lite-params';
import { selectBackend } from '../training/backend';
import { HybridHead } from '../training/heads/hybrid-head';
import { trainLoop } from '../training/loop/train-loop';
import { headModeSpec } from '../training/modes/head-mode';
import { cachedEmbeddings, openFrozenEncoder } from '../training/pipeline/frozen-encoder';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'fixtures/data/fine_foods_train.csv' },
    sizes: { type: 'string', default: '16,64,256' },
    draws: { type: 'string', default: '5' },
    methods: { type: 'string', default: 'tfidf,head-emb,head-emb+uni+bi' },
  },
});
const logger = createLogger({ level: 'warn' });
const data = await readLabelledTexts({ file: values.data, textCol: 'review', labelCol: 'score', positive: ['other'] });
const labels = data.rows.map((r) => r.label);
const texts = data.rows.map((r) => r.text);
const tokenizer = await TextTokenizer.create({
  tokenizerJson: buildUseLiteTokenizerJson(await readUseLiteVocab()),
  maxLength: 256,
});
const ids = (await tokenizer.encodeBatch(texts)).map((t) => t.ids);
await selectBackend({ logger });
const frozen = await openFrozenEncoder({ cacheDir: '.cache/churnscope', maxTokens: 256, logger });
const embeddings = await cachedEmbeddings({
  engine: frozen.engine,
  modelHash: frozen.modelHash,
  ids,
  cacheDir: '.cache/churnscope',
  logger,
});
await frozen.engine.dispose();
const D = USE_LITE_ARCHITECTURE.outputDim;

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
      } else aucs.push(await headAuc(method.replace('head-', ''), train, test, d));
    }
    (curve[`n=${n}`] ??= {})[method] = { mean: aucs.reduce((a, b) => a + b, 0) / aucs.length, aucs };
  }
}
process.stdout.write(
  `${JSON.stringify({ data: values.data, rows: labels.length, draws: Number(values.draws), curve }, null, 2)}\n`,
);
