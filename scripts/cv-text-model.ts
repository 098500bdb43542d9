// 5-fold cross-validation of the text-model recipe (head mode) on a labelled file; prints JSON. Used to choose the default recipe.
import { parseArgs } from 'node:util';
import { readLabelledTexts } from '../src/ingest';
import { createLogger } from '../src/logging';
import { rocAuc } from '../src/metrics';
import { buildUseLiteTokenizerJson, readUseLiteVocab, TextTokenizer } from '../src/tokenize';
import { activeBackendName, selectBackend } from '../training/backend';
import { stratifiedFolds, stratifiedSplit } from '../src/sampling/splits';
import { USE_LITE_ARCHITECTURE } from '../onnx/params/use-lite-params';
import { HybridHead } from '../training/heads/hybrid-head';
import { trainLoop } from '../training/loop/train-loop';
import { headModeSpec } from '../training/modes/head-mode';
import { cachedEmbeddings, openFrozenEncoder } from '../training/pipeline/frozen-encoder';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'fixtures/data/fine_foods_train.csv' },
    'text-col': { type: 'string', default: 'review' },
    'label-col': { type: 'string', default: 'score' },
    positive: { type: 'string', default: 'other' },
    folds: { type: 'string', default: '5' },
    variants: { type: 'string', default: 'emb,emb+uni,emb+uni+bi' },
    'weight-decay': { type: 'string', default: '0.01' },
    lr: { type: 'string', default: '0.01' },
    epochs: { type: 'string', default: '40' },
    buckets: { type: 'string', default: String(1 << 18) },
  },
});

const logger = createLogger({ level: 'warn' });
const D = USE_LITE_ARCHITECTURE.outputDim;
const data = await readLabelledTexts({
  file: values.data,
  textCol: values['text-col'],
  labelCol: values['label-col'],
  positive: values.positive.split(','),
});
const labels = data.rows.map((r) => r.label);
const tokenizer = await TextTokenizer.create({
  tokenizerJson: buildUseLiteTokenizerJson(await readUseLiteVocab()),
  maxLength: 256,
});
const ids = (await tokenizer.encodeBatch(data.rows.map((r) => r.text))).map((t) => t.ids);
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

const folds = stratifiedFolds(labels, Number(values.folds), 7);
const results: Record<string, { aucs: number[]; mean: number; seconds: number }> = {};
for (const variant of values.variants.split(',')) {
  const started = performance.now();
  const aucs: number[] = [];
  for (let k = 0; k < folds.length; k++) {
    const test = folds[k];
    const rest = folds.filter((_, j) => j !== k).flat();
    const inner = stratifiedSplit(
      rest.map((i) => labels[i]),
      0.15,
      k,
    );
    const train = inner.train.map((i) => rest[i]);
    const valid = inner.valid.map((i) => rest[i]);
    const head = new HybridHead({
      embeddingDim: D,
      vocabSize: USE_LITE_ARCHITECTURE.vocabSize,
      unigrams: variant.includes('uni'),
      bigramBuckets: variant.includes('bi') ? Number(values.buckets) : 0,
    });
    const spec = headModeSpec(head, { embeddings, embeddingDim: D, ids, labels });
    await trainLoop({
      spec,
      labels,
      train,
      valid,
      options: {
        epochs: Number(values.epochs),
        batchSize: 64,
        learningRate: Number(values.lr),
        warmupFraction: 0.1,
        weightDecay: Number(values['weight-decay']),
        clipNorm: 1,
        imbalance: 'weight',
        patience: 4,
        seed: k,
      },
    });
    aucs.push(
      rocAuc(
        await spec.predict(test),
        test.map((i) => labels[i]),
      ),
    );
    head.dispose();
  }
  results[variant] = {
    aucs,
    mean: aucs.reduce((a, b) => a + b, 0) / aucs.length,
    seconds: (performance.now() - started) / 1000,
  };
}
process.stdout.write(
  `${JSON.stringify({ data: values.data, rows: labels.length, folds: folds.length, weightDecay: Number(values['weight-decay']), lr: Number(values.lr), tfBackend: activeBackendName(), results }, null, 2)}\n`,
);
