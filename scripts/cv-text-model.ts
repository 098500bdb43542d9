// 5-fold cross-validation of the text-model recipe (head mode) on a labelled file; prints JSON. Used to choose the default recipe.
import { parseArgs } from 'node:util';
import { DEFAULT_BASELINE_OPTIONS, TfidfBaseline, TfidfDenseBaseline } from '../src/baseline';
import { createLogger } from '../src/logging';
import { rocAuc } from '../src/metrics';
import { activeBackendName } from '../training/backend';
import { USE_LITE_ARCHITECTURE } from '../onnx/params/use-lite-params';
import { HybridHead } from '../training/heads/hybrid-head';
import { trainLoop } from '../training/loop/train-loop';
import { headModeSpec } from '../training/modes/head-mode';
import { cvFolds, cvSplit, frozenCvData } from './lib/cv-data';
import { parseTextVariants, type TextVariant } from './lib/cv-recipes';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'fixtures/data/fine_foods_train.csv' },
    'text-col': { type: 'string', default: 'review' },
    'label-col': { type: 'string', default: 'score' },
    positive: { type: 'string', default: 'other' },
    folds: { type: 'string', default: '5' },
    /**
     * Head-mode variants (emb, emb+uni, emb+uni+bi) and the frozen baselines, fitted exactly by L-BFGS on the same
     * training rows: tfidf (the word 1-2-gram TF-IDF + LR every bundle carries) and tfidf+emb@S (TF-IDF and the
     * frozen embedding scaled by S in one LR).
     */
    variants: { type: 'string', default: 'emb,emb+uni,emb+uni+bi,tfidf,tfidf+emb@0.3,tfidf+emb@1' },
    'weight-decay': { type: 'string', default: '0.01' },
    lr: { type: 'string', default: '0.01' },
    epochs: { type: 'string', default: '40' },
    buckets: { type: 'string', default: String(1 << 18) },
  },
});

let variants: TextVariant[];
try {
  variants = parseTextVariants(values.variants);
} catch (e) {
  process.stderr.write(`cv:text: ${(e as Error).message}\n`);
  process.exit(2);
}

const logger = createLogger({ level: 'warn' });
const D = USE_LITE_ARCHITECTURE.outputDim;
const { rows, ids, embeddings, tokenizer, frozen } = await frozenCvData({
  data: {
    file: values.data,
    textCol: values['text-col'],
    labelCol: values['label-col'],
    positive: values.positive.split(','),
  },
  maxTokens: 256,
  logger,
});
tokenizer.dispose();
await frozen.engine.dispose();
const labels = rows.map((r) => r.label);

const texts = rows.map((r) => r.text);
const embeddingOf = (i: number) => embeddings.subarray(i * D, (i + 1) * D);

/** Held-out scores of a frozen baseline fitted on `fit` (the head's training and validation rows). */
function baselineScores(denseScale: number | undefined, fit: number[], test: number[]): number[] {
  const y = fit.map((i) => labels[i]);
  // ROC-AUC only ranks, so the TF-IDF baseline's probabilities serve as they are.
  if (denseScale === undefined)
    return TfidfBaseline.fit(
      fit.map((i) => texts[i]),
      y,
    ).predict(test.map((i) => texts[i]));
  const options = { ...DEFAULT_BASELINE_OPTIONS, denseScale };
  return TfidfDenseBaseline.fit(
    fit.map((i) => texts[i]),
    fit.map(embeddingOf),
    y,
    options,
  ).logits(
    test.map((i) => texts[i]),
    test.map(embeddingOf),
  );
}

const folds = cvFolds(labels, Number(values.folds));
const results: Record<string, { aucs: number[]; mean: number; seconds: number }> = {};
for (const variant of variants) {
  const started = performance.now();
  const aucs: number[] = [];
  for (let k = 0; k < folds.length; k++) {
    const { test, train, valid } = cvSplit(folds, labels, k);
    if (variant.kind === 'tfidf') {
      aucs.push(
        rocAuc(
          baselineScores(variant.denseScale, [...train, ...valid], test),
          test.map((i) => labels[i]),
        ),
      );
      continue;
    }
    const head = new HybridHead({
      embeddingDim: D,
      vocabSize: USE_LITE_ARCHITECTURE.vocabSize,
      unigrams: variant.unigrams,
      bigramBuckets: variant.bigrams ? Number(values.buckets) : 0,
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
  results[variant.name] = {
    aucs,
    mean: aucs.reduce((a, b) => a + b, 0) / aucs.length,
    seconds: (performance.now() - started) / 1000,
  };
}
process.stdout.write(
  `${JSON.stringify({ data: values.data, rows: labels.length, folds: folds.length, weightDecay: Number(values['weight-decay']), lr: Number(values.lr), tfBackend: activeBackendName(), results }, null, 2)}\n`,
);
