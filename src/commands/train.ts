// `churnscope train`: flags → validated options → the training pipeline, with a live progress bar on stderr.

import cliProgress from 'cli-progress';
import { z } from 'zod';
import { commandLogger } from './command-logger';
import { ValidationError } from '../errors';
import { TEXT_SOURCES, textSourceSchema } from '../text/text-source';

import { labelledDataSpec, type LabelledDataFlags } from './labelled-data-flags';
import { describeComparison } from '../baseline';

export interface TrainFlags extends LabelledDataFlags {
  defaultSource?: string;
  agentTurns: string;
  out: string;
  mode: string;
  encoder?: string;
  pooling?: string;
  seed?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  calibration: string;
  backend: string;
  /** 'auto' or a whole number from 1 to 64, checked by parseTrainThreads. */
  threads?: string;
  maxTokens?: number;
  freezeEmbeddings?: boolean;
  freezeLowerLayer?: boolean;
  imbalance: string;
  resume?: boolean;
  overwrite?: boolean;
  /** commander's `--no-quantize`: false when given. */
  quantize?: boolean;
  maxAucLoss?: number;
  fewShotPrompts?: string;
  /** auto | on | off, validated by the options schema. */
  bags?: string;
  cacheDir?: string;
  bandPrecision?: string;
}

/** "high=0.8,critical=0.9" → { high: 0.8, critical: 0.9 }; names and numbers are checked by the options schema. */
function parseBandTargets(spec: string | undefined): Record<string, number> | undefined {
  if (spec === undefined) return undefined;
  return Object.fromEntries(
    spec.split(',').map((pair) => {
      const [name, value] = pair.split('=').map((x) => x.trim());
      if (!['medium', 'high', 'critical'].includes(name) || value === undefined || !Number.isFinite(Number(value))) {
        throw new ValidationError(
          `--band-precision: "${pair}" is not band=number with band one of medium, high, critical`,
          { field: 'band-precision' },
        );
      }
      return [name, Number(value)];
    }),
  );
}

export async function trainCommand(flags: TrainFlags): Promise<void> {
  // TF.js loads only for commands that train, so `serve` starts without it.
  const { trainTextModel, trainOptionsSchema, parseTrainThreads } = await import('../../training/pipeline');
  const parsed = trainOptionsSchema.safeParse({
    out: flags.out,
    overwrite: flags.overwrite ?? false,
    resume: flags.resume ?? false,
    quantize: flags.quantize ?? true,
    maxRocAucLoss: flags.maxAucLoss,
    mode: flags.mode,
    fewShotPrompts: flags.fewShotPrompts,
    encoder: flags.encoder,
    pooling: flags.pooling,
    seed: flags.seed,
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    learningRate: flags.lr,
    calibration: flags.calibration,
    backend: flags.backend,
    threads: parseTrainThreads(flags.threads),
    maxTokens: flags.maxTokens,
    freezeEmbeddings: flags.freezeEmbeddings ?? false,
    freezeLowerLayer: flags.freezeLowerLayer ?? false,
    imbalance: flags.imbalance,
    cacheDir: flags.cacheDir,
    bands: parseBandTargets(flags.bandPrecision),
    head: { bags: flags.bags },
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const nested: Record<string, string> = { bands: 'band-precision', head: 'bags' };
    const flag = nested[String(issue.path[0])] ?? String(issue.path[0] ?? 'options');
    throw new ValidationError(
      `--${flag}: ${issue.path.slice(1).join('.')}${issue.path.length > 1 ? ' ' : ''}${issue.message}`,
      { field: flag },
    );
  }
  const defaultSource = textSourceSchema.optional().safeParse(flags.defaultSource);
  if (!defaultSource.success)
    throw new ValidationError(`--default-source must be one of ${TEXT_SOURCES.join(', ')}`, {
      field: 'default-source',
    });
  const agentTurns = z.enum(['drop', 'keep']).safeParse(flags.agentTurns);
  if (!agentTurns.success) throw new ValidationError('--agent-turns must be drop or keep', { field: 'agent-turns' });

  const logger = commandLogger();
  const bar = new cliProgress.SingleBar(
    {
      format: '{phase} epoch {epoch} |{bar}| {value}/{total} steps · loss {loss} · {rate} ex/s · ETA {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let barEpoch = -1;
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  const card = await trainTextModel({
    data: [
      {
        ...labelledDataSpec(flags),
        defaultSource: defaultSource.data,
        agentTurns: agentTurns.data,
      },
    ],
    options: parsed.data,
    logger,
    signal: abort.signal,
    onStep: (p) => {
      if (p.epoch !== barEpoch) {
        if (barEpoch >= 0) bar.stop();
        bar.start(p.stepsPerEpoch, 0, { phase: p.phase, epoch: p.epoch + 1, loss: '-', rate: '-' });
        barEpoch = p.epoch;
      }
      bar.update(p.step, { loss: p.loss.toFixed(4), rate: p.examplesPerSecond.toFixed(0) });
    },
    onEpoch: (r) => {
      bar.stop();
      barEpoch = -1;
      process.stderr.write(
        `  ${r.phase} epoch ${r.epoch + 1}: train loss ${r.trainLoss.toFixed(4)}, valid ROC-AUC ${r.validAuc.toFixed(4)}, ${r.seconds.toFixed(1)} s\n`,
      );
    },
  }).finally(() => bar.stop());
  process.stdout.write(
    `${JSON.stringify({ out: flags.out, version: card.version, metrics: card.metrics.overall, bands: card.bands.thresholds, parity: card.parity, baseline: card.baseline ? { rocAuc: card.baseline.baseline.rocAuc, modelRocAuc: card.baseline.model.rocAuc, rocAucMargin: card.baseline.rocAucMargin, modelBeatsBaseline: card.baseline.modelBeatsBaseline } : null, int8: card.precisions ? { rocAuc: card.precisions.int8.rocAuc, rocAucLoss: card.precisions.rocAucLoss } : null }, null, 2)}\n`,
  );
  if (card.baseline) process.stderr.write(`${describeComparison(card.baseline)}\n`);
}
