// bench:train — training-step throughput of head mode and full mode on real reviews, on the TF.js backend selectBackend picks; prints JSON.
import os from 'node:os';
import { readLabelledTexts } from '../src/ingest';
import { createLogger } from '../src/logging';
import { buildUseLiteTokenizerJson, readUseLiteVocab, TextTokenizer } from '../src/tokenize';
import { activeBackendName, selectBackend } from '../training/backend';
import type { FreezeOptions } from '../training/encoders';
import { UseLiteEncoder, USE_LITE_ARCHITECTURE } from '../training/encoders/use-lite';
import { HybridHead } from '../training/heads/hybrid-head';
import { trainLoop, type TrainSpec } from '../training/loop/train-loop';
import { headModeSpec } from '../training/modes/head-mode';
import { openFrozenEncoder } from '../training/pipeline/frozen-encoder';
import { loopDefaults } from '../training/pipeline/options';
import { openFullModeSpec, resolveTrainThreads } from '../training/parallel';

const HEAD_TEXTS = Number(process.env.BENCH_TEXTS ?? 2000);
const HEAD_EPOCHS = Number(process.env.BENCH_HEAD_EPOCHS ?? 3);
const FULL_TEXTS = Number(process.env.BENCH_FULL_TEXTS ?? 160);
const VALID_TEXTS = 16;
const MAX_TOKENS = 256;
const FULL_MAX_TOKENS = Number(process.env.BENCH_FULL_MAX_TOKENS ?? 256);
const EPOCH_TEXTS = 3200;
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
const log = (msg: string) => process.stderr.write(`[bench:train] ${msg}\n`);
const started = performance.now();

const data = await readLabelledTexts({
  file: 'fixtures/data/fine_foods_train.csv',
  textCol: 'review',
  labelCol: 'score',
  positive: ['other'],
});
const rows = data.rows.slice(0, HEAD_TEXTS + VALID_TEXTS);
const labels = rows.map((r) => r.label);
const tokenizer = await TextTokenizer.create({
  tokenizerJson: buildUseLiteTokenizerJson(await readUseLiteVocab()),
  maxLength: MAX_TOKENS,
});
const ids = (await tokenizer.encodeBatch(rows.map((r) => r.text))).map((t) => t.ids);
tokenizer.dispose();
const backend = await selectBackend({ logger });

// Embedded directly rather than through cachedEmbeddings: a cache hit would hide the first-run cost we want to see.
log(`embedding ${ids.length} texts with ONNX Runtime`);
const frozen = await openFrozenEncoder({ cacheDir: '.cache/churnscope', maxTokens: MAX_TOKENS, logger });
await frozen.engine.embedTokenized(ids.slice(0, 32));
const e0 = performance.now();
const { embeddings: embRows } = await frozen.engine.embedTokenized(ids);
const embedSeconds = (performance.now() - e0) / 1000;
const onnxProvider = frozen.engine.provider;
await frozen.engine.dispose();
const D = USE_LITE_ARCHITECTURE.outputDim;
const embeddings = new Float32Array(ids.length * D);
embRows.forEach((e, i) => embeddings.set(e, i * D));

/**
 * Runs trainLoop and times only the gaps between consecutive onStep calls inside an epoch: each gap is exactly one
 * step (batch, forward, backward, clip, AdamW, loss read back), so validation and each epoch's first (warm-up) step drop out.
 */
async function timeSteps<In>(
  spec: TrainSpec<In>,
  train: number[],
  valid: number[],
  mode: 'head' | 'full',
  epochs: number,
  groupByLength = true,
) {
  const d = loopDefaults(mode);
  let last: { epoch: number; t: number } | undefined;
  let seconds = 0;
  let examples = 0;
  let steps = 0;
  await trainLoop({
    spec,
    labels,
    train,
    valid,
    options: {
      ...d,
      epochs,
      warmupFraction: 0.1,
      weightDecay: 0.01,
      clipNorm: 1,
      imbalance: 'weight',
      patience: 1000,
      seed: 42,
      groupByLength,
    },
    onStep: (p) => {
      const t = performance.now();
      if (last?.epoch === p.epoch) {
        seconds += (t - last.t) / 1000;
        examples += Math.min(d.batchSize, train.length - (p.step - 1) * d.batchSize);
        steps++;
      }
      last = { epoch: p.epoch, t };
    },
  });
  return {
    batchSize: d.batchSize,
    timedSteps: steps,
    timedExamples: examples,
    seconds,
    examplesPerSecond: examples / seconds,
  };
}

const newHead = () =>
  new HybridHead({
    embeddingDim: D,
    vocabSize: USE_LITE_ARCHITECTURE.vocabSize,
    unigrams: true,
    bigramBuckets: 1 << 18,
  });
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

log(`head mode: ${HEAD_TEXTS} texts × ${HEAD_EPOCHS} epochs on ${backend.name}`);
const head = newHead();
const headResult = await timeSteps(
  headModeSpec(head, { embeddings, embeddingDim: D, ids, labels }),
  range(0, HEAD_TEXTS),
  range(HEAD_TEXTS, VALID_TEXTS),
  'head',
  HEAD_EPOCHS,
);
head.dispose();

// Full mode trains at the default 256 tokens, on fewer texts than head mode so that the run stays within minutes on wasm.
const fullIds = ids.map((s) => s.subarray(0, FULL_MAX_TOKENS));
const fullTrain = range(0, Math.min(FULL_TEXTS, HEAD_TEXTS));
const fullTokens = fullTrain.reduce((n, i) => n + fullIds[i].length, 0) / fullTrain.length;
const fullValid = range(HEAD_TEXTS, VALID_TEXTS);
// `churnscope train --threads auto` on this machine: data-parallel over this many threads.
const threads = resolveTrainThreads('auto', backend.name, os.availableParallelism());
async function fullRun(freeze: FreezeOptions, groupByLength = true, cacheFrozenStates = true, runThreads = 1) {
  log(
    `full mode ${JSON.stringify(freeze)}, ${groupByLength ? 'length-grouped' : 'random'} batches${cacheFrozenStates ? '' : ', no state cache'}, ${runThreads} thread(s): ${fullTrain.length} texts, 1 epoch`,
  );
  const encoder = UseLiteEncoder.fromParams(frozen.params, { logger });
  const h = newHead();
  const { spec, dispose } = await openFullModeSpec({
    threads: runThreads,
    backend: backend.name,
    encoder: { encoder: 'use-lite' },
    trainable: encoder,
    head: h,
    data: { ids: fullIds, labels },
    freeze,
    rows: [...fullTrain, ...fullValid],
    cacheFrozenStates,
  });
  const trainable = spec.variables.reduce((n, v) => n + v.size, 0);
  const r = await timeSteps(spec, fullTrain, fullValid, 'full', 1, groupByLength);
  await dispose();
  encoder.dispose();
  h.dispose();
  // The cache is filled once per run: priced per training text, it is added to every epoch's step time here
  // (an upper bound: a 3-epoch run pays it once, not three times).
  const fill = spec.stateCache
    ? {
        stateCacheFillSeconds: Number(spec.stateCache.fillSeconds.toFixed(2)),
        stateCacheMiB: Number((spec.stateCache.bytes / 2 ** 20).toFixed(1)),
      }
    : {};
  const epochSeconds =
    EPOCH_TEXTS / r.examplesPerSecond +
    (spec.stateCache ? (spec.stateCache.fillSeconds * EPOCH_TEXTS) / (fullTrain.length + fullValid.length) : 0);
  return {
    ...r,
    ...fill,
    examplesPerSecondWithFill: Number((EPOCH_TEXTS / epochSeconds).toFixed(2)),
    threads: runThreads,
    trainableParameters: trainable,
    secondsPerEpochAt3200Texts: Math.round(epochSeconds),
  };
}
// The peer in the same run: the same loop with random batches (what every release before length grouping did).
const fullRandom = await fullRun({}, false);
const fullAll = await fullRun({});
const topOnly = { freezeEmbeddings: true, freezeLowerLayer: true };
const fullFrozenUncached = await fullRun(topOnly, true, false);
const fullFrozen = await fullRun(topOnly);
// Data-parallel (what `train --threads auto` does on wasm and cpu); skipped where auto gives one thread.
const fullAllParallel = threads > 1 ? await fullRun({}, true, true, threads) : undefined;
const fullFrozenParallel = threads > 1 ? await fullRun(topOnly, true, true, threads) : undefined;

process.stdout.write(
  `${JSON.stringify(
    {
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
      backend: { selected: backend.name, fellBackFrom: backend.fellBackFrom, tfGetBackend: activeBackendName() },
      data: {
        file: 'fixtures/data/fine_foods_train.csv',
        texts: rows.length,
        positives: labels.filter((l) => l === 1).length,
      },
      frozenEmbeddings: {
        provider: onnxProvider,
        texts: ids.length,
        maxTokens: MAX_TOKENS,
        seconds: embedSeconds,
        textsPerSecond: ids.length / embedSeconds,
      },
      head: {
        texts: HEAD_TEXTS,
        epochs: HEAD_EPOCHS,
        maxTokens: MAX_TOKENS,
        unigrams: true,
        bigramBuckets: 1 << 18,
        ...headResult,
      },
      full: {
        texts: fullTrain.length,
        maxTokens: FULL_MAX_TOKENS,
        meanTokens: Number(fullTokens.toFixed(1)),
        allRandomBatches: fullRandom,
        all: fullAll,
        groupedVsRandomBatches: Number((fullAll.examplesPerSecond / fullRandom.examplesPerSecond).toFixed(2)),
        frozenLowerGroupedVsAllRandom: Number(
          (fullFrozenUncached.examplesPerSecond / fullRandom.examplesPerSecond).toFixed(2),
        ),
        cachedFrozenLowerVsAllRandom: Number(
          (fullFrozen.examplesPerSecondWithFill / fullRandom.examplesPerSecond).toFixed(2),
        ),
        ...(fullAllParallel && fullFrozenParallel
          ? {
              dataParallelThreads: threads,
              dataParallelAllVsAllRandom: Number(
                (fullAllParallel.examplesPerSecond / fullRandom.examplesPerSecond).toFixed(2),
              ),
              dataParallelAllVsOneThread: Number(
                (fullAllParallel.examplesPerSecond / fullAll.examplesPerSecond).toFixed(2),
              ),
              dataParallelCachedVsAllRandom: Number(
                (fullFrozenParallel.examplesPerSecondWithFill / fullRandom.examplesPerSecond).toFixed(2),
              ),
              dataParallelCachedVsOneThread: Number(
                (fullFrozenParallel.examplesPerSecondWithFill / fullFrozen.examplesPerSecondWithFill).toFixed(2),
              ),
            }
          : { dataParallel: `skipped: --threads auto gives 1 thread on ${backend.name}` }),
        freezeEmbeddingsAndLowerLayer: fullFrozenUncached,
        freezeEmbeddingsAndLowerLayerCachedStates: fullFrozen,
        ...(fullAllParallel ? { allDataParallel: fullAllParallel } : {}),
        ...(fullFrozenParallel ? { freezeEmbeddingsAndLowerLayerCachedStatesDataParallel: fullFrozenParallel } : {}),
        note: `secondsPerEpochAt3200Texts = ${EPOCH_TEXTS} / examplesPerSecond at ≤${FULL_MAX_TOKENS} tokens; training at the default ${MAX_TOKENS} tokens costs more`,
      },
      wallSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    },
    null,
    2,
  )}\n`,
);
