// `churnscope train` as a list of steps: encoder → load → split → tokenize → train (head, then optionally full) → calibrate → baseline → export.
import fs from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../../src/errors';
import { readLabelledTexts, type LabelledText, type LabelledTextOptions } from '../../src/ingest';
import type { Logger } from '../../src/logging';
import { TextTokenizer } from '../../src/tokenize';
import { selectBackend } from '../backend';
import { stratifiedSplit } from '../../src/sampling/splits';
import { HybridHead } from '../heads/hybrid-head';
import { CheckpointStore, type EpochRecord } from '../loop/checkpoint';
import { trainLoop, type StepProgress, type TrainResult } from '../loop/train-loop';
import { headModeSpec } from '../modes/head-mode';
import { readFewShotPrompts } from '../few-shot/read-prompts';
import { checkSplitClasses } from './check-split';
import { resolveMode, runFewShotPhase } from './few-shot-phase';
import { curvesFor, type ModelCard } from '../report/model-card';
import { evaluateValidation } from './evaluate-validation';
import { openFullMode } from './open-full-mode';
import { exportTrainedBundle } from './export-bundle';
import { fitBaseline } from './fit-baseline';
import { describeComparison } from '../../src/baseline';
import { cachedEmbeddings, openFrozenPipelineEncoder } from './frozen-encoder';
import { openPipelineEncoder, type PipelineEncoder } from './encoder-choice';
import type { TrainableEncoder } from '../encoders/trainable-encoder';
import { loopDefaults, SMALL_SET_TRAIN_ROWS, type TrainOptions } from './options';

export interface TrainTextModelArgs {
  data: LabelledTextOptions[];
  options: TrainOptions;
  logger: Logger;
  onStep?: (p: StepProgress & { phase: string }) => void;
  onEpoch?: (r: EpochRecord & { phase: string }) => void;
  signal?: AbortSignal;
}

export async function trainTextModel(args: TrainTextModelArgs): Promise<ModelCard> {
  const { options: o, logger } = args;
  const started = performance.now();
  refuseExistingOutput(o);
  const prompts = readFewShotPrompts(o.fewShotPrompts);
  const encoderChoice = await openPipelineEncoder({ encoder: o.encoder, pooling: o.pooling, logger });
  checkTokenLimit(o, encoderChoice);
  const data = await loadData(args.data);
  const labels = data.rows.map((r) => r.label);
  const split = stratifiedSplit(labels, o.validFraction, o.seed);
  checkSplitClasses(
    split,
    labels,
    args.data.map((d) => d.file),
  );
  const tokenizerJson = encoderChoice.tokenizerJson;
  const ids = await tokenize(tokenizerJson, data.rows, o.maxTokens);
  const backend = await selectBackend({ logger, prefer: o.backend });
  const frozen = await openFrozenPipelineEncoder({
    cacheDir: o.cacheDir,
    maxTokens: o.maxTokens,
    logger,
    encoder: encoderChoice,
  });
  const embeddings = await cachedEmbeddings({
    engine: frozen.engine,
    modelHash: frozen.modelHash,
    ids,
    cacheDir: o.cacheDir,
    logger,
    dim: encoderChoice.outputDim,
  });
  const mode = resolveMode(o.mode, split.train.length, logger);
  const headConfig = {
    embeddingDim: encoderChoice.outputDim,
    vocabSize: encoderChoice.vocabSize,
    ...headOptions(o, encoderChoice, split.train.length, logger),
  };
  const phases: { phase: string; result: TrainResult }[] = [];
  let head: HybridHead;
  if (mode === 'few-shot') {
    const fewShot = await runFewShotPhase({
      engine: frozen.engine,
      tokenizerJson,
      maxTokens: o.maxTokens,
      embeddings,
      headConfig,
      ids,
      labels,
      split,
      prompts,
    });
    await frozen.engine.dispose();
    head = fewShot.head;
    phases.push({ phase: 'few-shot', result: fewShot.result });
  } else {
    await frozen.engine.dispose();
    head = new HybridHead(headConfig);
  }
  const headSpec = headModeSpec(head, { embeddings, embeddingDim: encoderChoice.outputDim, ids, labels });
  if (mode !== 'few-shot') {
    // In full mode the head phase is only the warm start: it keeps the head defaults, and the loop flags go to the full phase.
    phases.push({
      phase: 'head',
      result: await runPhase('head', headSpec, args, labels, split, loopDefaults('head'), mode === 'head'),
    });
  }
  let encoder: TrainableEncoder | undefined;
  let threads: number | undefined;
  let validProbs = await headSpec.predict(split.valid);
  if (mode === 'full') {
    // Linear probe, then fine-tune: the head starts trained, so the encoder's first updates follow a useful gradient.
    encoder = encoderChoice.createTrainable(logger);
    const full = await openFullMode({
      options: o,
      backend: backend.name,
      encoder,
      head,
      data: { ids, labels },
      logger,
    });
    threads = full.threads;
    try {
      phases.push({
        phase: 'full',
        result: await runPhase('full', full.spec, args, labels, split, loopDefaults('full'), true),
      });
      validProbs = await full.spec.predict(split.valid);
    } finally {
      await full.dispose();
    }
  }

  const validation = evaluateValidation({
    rawProbs: validProbs,
    labels: split.valid.map((i) => labels[i]),
    sources: split.valid.map((i) => data.rows[i].source),
    method: o.calibration,
    targets: o.bands,
    seed: o.seed,
  });
  const { baseline, comparison } = fitBaseline({
    texts: data.rows.map((r) => r.text),
    labels,
    split,
    modelProbs: validation.calibratedProbs,
    logger,
  });
  const version = `${encoderChoice.family}-${mode}-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
  const parityRows = split.valid.slice(0, 64);
  const card: ModelCard = {
    version,
    createdAt: new Date().toISOString(),
    encoder: { family: encoderChoice.family, maxTokens: o.maxTokens },
    mode,
    head: { ...head.config },
    data: {
      files: args.data.map((d) => d.file),
      rows: data.rows.length,
      positives: data.positives,
      skippedEmpty: data.skippedEmpty,
      bySource: countBy(data.rows.map((r) => r.source)),
      labelValues: data.labelValues,
    },
    split: { train: split.train.length, valid: split.valid.length, seed: o.seed },
    training: {
      options: { ...o },
      history: phases.flatMap((p) => p.result.history),
      bestEpoch: phases[phases.length - 1].result.bestEpoch,
      seconds: (performance.now() - started) / 1000,
      backend: backend.name,
      ...(threads !== undefined ? { threads } : {}),
    },
    calibration: { method: validation.calibration.method },
    bands: validation.bands,
    metrics: validation.metrics,
    curves: curvesFor(
      validation.calibratedProbs,
      split.valid.map((i) => labels[i]),
    ),
    baseline: comparison,
    notes: [
      `Encoder: ${encoderChoice.description}.`,
      ...notesFor(phases, data.skippedEmpty),
      describeComparison(comparison),
    ],
  };
  const finalCard = await exportTrainedBundle({
    out: o.out,
    overwrite: o.overwrite,
    head: await head.toParams(),
    tokenizerJson,
    hfConfig: encoderChoice.hfConfig,
    modelBytes: await encoderChoice.buildModel({
      head: await head.toParams(),
      trained: encoder,
      metadata: { churnscope_version: version },
    }),
    info: {
      version,
      encoder: encoderChoice.family,
      maxTokens: o.maxTokens,
      ...(encoderChoice.tokenLimit ? { tokenLimit: encoderChoice.tokenLimit } : {}),
      createdAt: card.createdAt,
      calibration: validation.calibration,
      bands: validation.bands.thresholds,
    },
    card,
    parity: { ids: parityRows.map((i) => ids[i]), tfProbs: validProbs.slice(0, parityRows.length) },
    validation: {
      ids: split.valid.map((i) => ids[i]),
      labels: split.valid.map((i) => labels[i]),
      sources: split.valid.map((i) => data.rows[i].source),
    },
    baseline,
    quantize: o.quantize ? { maxRocAucLoss: o.maxRocAucLoss } : false,
    logger,
  });
  encoder?.dispose();
  head.dispose();
  fs.rmSync(checkpointDir(o), { recursive: true, force: true });
  return finalCard;
}

async function runPhase<In>(
  phase: string,
  spec: Parameters<typeof trainLoop<In>>[0]['spec'],
  args: TrainTextModelArgs,
  labels: number[],
  split: { train: number[]; valid: number[] },
  defaults: ReturnType<typeof loopDefaults>,
  userLoopFlags: boolean,
): Promise<TrainResult> {
  const o = args.options;
  const pick = <T>(flag: T | undefined, fallback: T) => (userLoopFlags && flag !== undefined ? flag : fallback);
  const options = {
    epochs: pick(o.epochs, defaults.epochs),
    batchSize: pick(o.batchSize, defaults.batchSize),
    learningRate: pick(o.learningRate, defaults.learningRate),
    warmupFraction: o.warmupFraction,
    weightDecay: o.weightDecay,
    clipNorm: o.clipNorm,
    imbalance: o.imbalance,
    patience: o.patience,
    seed: o.seed,
  };
  const store = new CheckpointStore(path.join(checkpointDir(o), phase));
  if (store.exists() && !o.resume)
    throw new ValidationError(
      `a checkpoint from an interrupted run exists in ${checkpointDir(o)}; pass --resume to continue it or remove it`,
    );
  return trainLoop({
    spec,
    labels,
    train: split.train,
    valid: split.valid,
    options,
    signal: args.signal,
    checkpoint: {
      store,
      fingerprint: JSON.stringify({ phase, options, n: labels.length, o: { ...o, resume: undefined } }),
    },
    onStep: (p) => args.onStep?.({ ...p, phase }),
    onEpoch: (r) => args.onEpoch?.({ ...r, phase }),
  });
}

function checkpointDir(o: TrainOptions): string {
  return `${path.resolve(o.out)}.checkpoint`;
}

function refuseExistingOutput(o: TrainOptions): void {
  if (fs.existsSync(o.out) && !o.overwrite)
    throw new ValidationError(`output directory ${o.out} already exists; choose another --out or pass --overwrite`, {
      field: 'out',
    });
}

async function loadData(specs: LabelledTextOptions[]) {
  const sets = await Promise.all(specs.map((s) => readLabelledTexts(s)));
  const rows: LabelledText[] = sets.flatMap((s) => s.rows);
  return {
    rows,
    positives: sets.reduce((n, s) => n + s.positives, 0),
    skippedEmpty: sets.reduce((n, s) => n + s.skippedEmpty, 0),
    labelValues: {
      positive: [...new Set(sets.flatMap((s) => s.labelValues.positive))],
      negative: [...new Set(sets.flatMap((s) => s.labelValues.negative))],
    },
  };
}

async function tokenize(tokenizerJson: object, rows: LabelledText[], maxTokens: number): Promise<Int32Array[]> {
  const tokenizer = await TextTokenizer.create({ tokenizerJson, maxLength: maxTokens });
  const out = (await tokenizer.encodeBatch(rows.map((r) => r.text))).map((t) => t.ids);
  tokenizer.dispose();
  return out;
}

function countBy(values: string[]): Record<string, number> {
  return values.reduce<Record<string, number>>((acc, v) => ((acc[v] = (acc[v] ?? 0) + 1), acc), {});
}

function notesFor(phases: { phase: string; result: TrainResult }[], skipped: number): string[] {
  const notes = phases.map((p) =>
    p.phase === 'few-shot'
      ? `few-shot phase (frozen encoder, zero-shot prior from label descriptions + logistic regression): validation ROC-AUC ${p.result.bestAuc.toFixed(4)}`
      : `${p.phase} phase: best validation ROC-AUC ${p.result.bestAuc.toFixed(4)} at epoch ${p.result.bestEpoch + 1}${p.result.stoppedEarly ? ' (stopped early)' : ''}`,
  );
  if (skipped) notes.push(`${skipped} rows with empty text were skipped`);
  notes.push('Metrics are on the validation split, with calibration cross-fitted on its two halves.');
  return notes;
}

/** A window must fit the encoder's position table ([CLS] and [SEP] included for BERT). */
function checkTokenLimit(o: TrainOptions, encoder: PipelineEncoder): void {
  if (encoder.tokenLimit !== undefined && o.maxTokens > encoder.tokenLimit) {
    throw new ValidationError(
      `--max-tokens ${o.maxTokens} exceeds this encoder's limit of ${encoder.tokenLimit} tokens per window (${encoder.description})`,
      { field: 'maxTokens' },
    );
  }
}

/**
 * Small sets train the embedding-only head (bags overfit them, see SMALL_SET_TRAIN_ROWS). Hashed bigrams compute
 * a·V + b in int32: past V = 46340 that overflows, so large vocabularies train without them.
 */
function headOptions(
  o: TrainOptions,
  encoder: PipelineEncoder,
  trainRows: number,
  logger: Logger,
): TrainOptions['head'] {
  const small = o.head.bags === 'auto' && trainRows < SMALL_SET_TRAIN_ROWS;
  if (o.head.bags === 'off' || small) {
    if (small)
      logger.info(
        { trainRows, threshold: SMALL_SET_TRAIN_ROWS },
        'small labelled set: the head uses the sentence embedding only (no n-gram bags; --bags on forces them)',
      );
    return { ...o.head, unigrams: false, bigramBuckets: 0 };
  }
  if (o.head.bigramBuckets === 0 || encoder.vocabSize <= 46340) return o.head;
  logger.warn(
    { vocabSize: encoder.vocabSize },
    'vocabulary too large for hashed token-id bigrams in int32; the head uses the embedding and unigrams only',
  );
  return { ...o.head, bigramBuckets: 0 };
}
