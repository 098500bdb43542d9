// cv:fine-tune — 5-fold CV of fine-tuning recipes against head mode on the same folds (paired); prints JSON. Chooses the default build's recipe.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createLogger } from '../src/logging';
import { rocAuc } from '../src/metrics';
import { activeBackendName } from '../training/backend';
import { UseLiteEncoder, USE_LITE_ARCHITECTURE } from '../training/encoders/use-lite';
import { HybridHead } from '../training/heads/hybrid-head';
import { trainLoop, type TrainLoopOptions } from '../training/loop/train-loop';
import { meanWeights, setWeights, snapshotWeights } from '../training/loop/spec-weights';
import { headModeSpec } from '../training/modes/head-mode';
import { StateCache } from '../training/modes/state-cache';
import { loopDefaults } from '../training/pipeline/options';
import { openFullModeSpec, parseTrainThreads, resolveTrainThreads } from '../training/parallel';
import { cvFolds, cvSplit, frozenCvData } from './lib/cv-data';
import { parseFolds, parseRecipes, type FineTuneRecipe } from './lib/cv-recipes';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'fixtures/data/fine_foods_train.csv' },
    folds: { type: 'string', default: '5' },
    /** Run only these folds (comma-separated indices), e.g. to spread a long CV over several processes. */
    only: { type: 'string' },
    /** Fine-tuning recipes: epochs:lr pairs, comma-separated (top layer and projection; embeddings and lower layer frozen). */
    recipes: { type: 'string', default: '3:3e-4' },
    'max-tokens': { type: 'string', default: '256' },
    'batch-size': { type: 'string', default: '16' },
    patience: { type: 'string', default: '1' },
    /** Threads per fine-tune (data-parallel); auto: one per core on wasm and cpu (as `train --threads auto`). */
    threads: { type: 'string', default: 'auto' },
  },
});
const logger = createLogger({ level: 'warn' });
// Checked before hours of training: a bad value exits 2 with one line naming the flag.
let recipes: FineTuneRecipe[];
let only: number[];
let threadsFlag: 'auto' | number;
try {
  recipes = parseRecipes(values.recipes);
  only = parseFolds(values.only, Number(values.folds));
  threadsFlag = parseTrainThreads(values.threads);
} catch (e) {
  process.stderr.write(`cv:fine-tune: ${(e as Error).message}\n`);
  process.exit(2);
}
const log = (msg: string) => process.stderr.write(`[cv:fine-tune] ${msg}\n`);
const D = USE_LITE_ARCHITECTURE.outputDim;
const MAX_TOKENS = Number(values['max-tokens']);
const TOP_ONLY = { freezeEmbeddings: true, freezeLowerLayer: true };

const { rows, ids, embeddings, tokenizer, frozen, backend } = await frozenCvData({
  data: { file: values.data, textCol: 'review', labelCol: 'score', positive: ['other'] },
  maxTokens: MAX_TOKENS,
  logger,
});
tokenizer.dispose();
await frozen.engine.dispose();
const labels = rows.map((r) => r.label);

const threads = resolveTrainThreads(threadsFlag, backend.name, os.availableParallelism());
// The lower layer is frozen in every recipe, so one cache of its states serves every fold (and, shared, every thread).
const probe = UseLiteEncoder.fromParams(frozen.params, { logger });
const cache = await StateCache.fill(
  probe.frozenSplit(TOP_ONLY)!,
  ids,
  ids.map((_, i) => i),
  { shared: threads > 1 },
);
probe.dispose();
log(`state cache: ${cache.size} texts, ${Math.round(cache.bytes / 2 ** 20)} MiB, ${cache.fillSeconds.toFixed(0)} s`);

const headLoop: TrainLoopOptions = {
  ...loopDefaults('head'),
  warmupFraction: 0.1,
  weightDecay: 0.01,
  clipNorm: 1,
  imbalance: 'weight',
  patience: 4,
  seed: 0,
};
const folds = cvFolds(labels, Number(values.folds));
const perFold: Array<Record<string, number>> = [];
for (const k of only) {
  const { test, train, valid } = cvSplit(folds, labels, k);
  const testLabels = test.map((i) => labels[i]);
  const row: Record<string, number> = { fold: k };
  for (const recipe of recipes) {
    const started = performance.now();
    const head = new HybridHead({
      embeddingDim: D,
      vocabSize: USE_LITE_ARCHITECTURE.vocabSize,
      unigrams: true,
      bigramBuckets: 1 << 18,
    });
    const headSpec = headModeSpec(head, { embeddings, embeddingDim: D, ids, labels });
    await trainLoop({ spec: headSpec, labels, train, valid, options: { ...headLoop, seed: k } });
    row.head = rocAuc(await headSpec.predict(test), testLabels);
    const encoder = UseLiteEncoder.fromParams(frozen.params, { logger });
    const { spec, dispose } = await openFullModeSpec({
      threads,
      backend: backend.name,
      encoder: { encoder: 'use-lite' },
      trainable: encoder,
      head,
      data: { ids, labels },
      freeze: TOP_ONLY,
      stateCache: cache,
    });
    // Each epoch's end weights, for the checkpoint-averaging columns below.
    const snapshots: Float32Array[][] = [];
    const result = await trainLoop({
      spec,
      labels,
      train,
      valid,
      options: {
        ...headLoop,
        epochs: recipe.epochs,
        batchSize: Number(values['batch-size']),
        learningRate: recipe.lr,
        patience: Number(values.patience),
        seed: k,
      },
      onEpoch: (r) => {
        snapshots.push(snapshotWeights(spec));
        log(
          `fold ${k} ${recipe.name}: epoch ${r.epoch + 1} valid ${r.validAuc.toFixed(4)} (${r.seconds.toFixed(0)} s)`,
        );
      },
    });
    row[recipe.name] = rocAuc(await spec.predict(test), testLabels);
    row[`${recipe.name} best epoch`] = result.bestEpoch + 1;
    // Not chosen by the inner validation, so reported beside the recipe, never instead of it: the last epoch's
    // weights, and the mean of the last two epochs' weights (checkpoint averaging).
    const testWith = async (weights: Float32Array[]) => {
      await setWeights(spec, weights);
      return rocAuc(await spec.predict(test), testLabels);
    };
    row[`${recipe.name} last epoch`] = await testWith(snapshots[snapshots.length - 1]);
    if (snapshots.length >= 2) {
      row[`${recipe.name} mean of last 2 epochs`] = await testWith(meanWeights(snapshots.slice(-2)));
    }
    await dispose();
    row[`${recipe.name} seconds`] = Math.round((performance.now() - started) / 1000);
    log(`fold ${k}: head ${row.head.toFixed(4)} → ${recipe.name} ${row[recipe.name].toFixed(4)}`);
    encoder.dispose();
    head.dispose();
  }
  perFold.push(row);
}
const mean = (key: string) => perFold.reduce((s, r) => s + r[key], 0) / perFold.length;
process.stdout.write(
  `${JSON.stringify(
    {
      data: values.data,
      rows: labels.length,
      folds: folds.length,
      ran: only,
      maxTokens: MAX_TOKENS,
      tfBackend: activeBackendName(),
      threads,
      stateCache: { mib: Math.round(cache.bytes / 2 ** 20), fillSeconds: Number(cache.fillSeconds.toFixed(1)) },
      mean: Object.fromEntries(
        ['head', ...recipes.map((r) => r.name)].map((key) => [key, Number(mean(key).toFixed(4))]),
      ),
      perFold,
    },
    null,
    2,
  )}\n`,
);
