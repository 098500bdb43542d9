// Retraining from stored outcomes: split by time, train a challenger, compare it with the champion, maybe promote.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EngineConfig } from '../config';
import { ValidationError } from '../errors';
import type { LabelledTextOptions } from '../ingest';
import type { Logger } from '../logging';
import { pairedBootstrapRocAuc } from '../metrics';
import type { Store } from '../store';
import { splitOutcomes } from './outcome-split';
import { promoteChallenger } from './promote-challenger';
import { scoreHeldBack, summarise, type ModelSummary } from './score-held-back';
import { writeTrainingFile } from './training-file';

export interface RetrainOptions {
  store: Store;
  out: string;
  since?: string;
  baseData: LabelledTextOptions[];
  heldBackFraction: number;
  /** --model; else the store's active model; else defaultModelDir. */
  championDir?: string;
  defaultModelDir: string;
  /** privacy.storeText of the service that filled the store. */
  storeText: 'full' | 'redacted' | 'none';
  /** Present with --promote-if-better; modelsDir defaults to the champion's folder. */
  promote?: { modelsDir?: string };
  /** Handed to trainOptionsSchema (mode, seed, epochs, backend, cacheDir, quantize …); `out` is set here. */
  train: Record<string, unknown>;
  engine: EngineConfig;
  logger: Logger;
  resamples?: number;
  onPhase?: (phase: 'loading' | 'training' | 'evaluating' | 'promoting') => void;
}

export interface RetrainReport {
  champion: ModelSummary;
  challenger: ModelSummary;
  difference: { rocAuc: number; interval95: [number, number] | null };
  heldBack: { count: number; positives: number; from: string; to: string };
  trainedOn: { count: number; fromStore: number; fromBaseData: number };
  promoted: boolean;
  reason: string;
  promotedTo?: string;
}

/** Checks every input before writing anything: a refused run leaves no bundle behind. */
function checkInputs(o: RetrainOptions): void {
  if (o.storeText === 'none')
    throw new ValidationError(
      'privacy.storeText is none: the store keeps no words of the texts, so there are no texts to train on',
      { field: 'storeText' },
    );
  if (fs.existsSync(o.out))
    throw new ValidationError(`--out ${o.out} already exists; choose a new directory`, { field: 'out' });
  for (const d of o.baseData)
    if (!fs.existsSync(d.file))
      throw new ValidationError(`--base-data ${d.file} does not exist`, { field: 'base-data' });
  if (!(o.heldBackFraction > 0 && o.heldBackFraction < 1))
    throw new ValidationError(`--held-back-fraction must lie between 0 and 1, got ${o.heldBackFraction}`, {
      field: 'held-back-fraction',
    });
}

async function championDir(o: RetrainOptions): Promise<string> {
  if (o.championDir) return o.championDir;
  const active = await o.store.models.active();
  if (active && fs.existsSync(active.path)) return active.path;
  return o.defaultModelDir;
}

export async function runRetrain(o: RetrainOptions): Promise<RetrainReport> {
  checkInputs(o);
  o.onPhase?.('loading');
  const { trainTextModel, trainOptionsSchema } = await import('../../training/pipeline');
  const parsed = trainOptionsSchema.safeParse({ ...o.train, out: o.out, overwrite: false, resume: false });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = String(issue.path[0] ?? 'options');
    throw new ValidationError(`--${flag}: ${issue.message}`, { field: flag });
  }
  const options = parsed.data;
  const split = splitOutcomes(await o.store.feedback.outcomeTexts({ since: o.since }), o.heldBackFraction);
  const champion = await championDir(o);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'churnscope-retrain-'));
  let card;
  try {
    o.onPhase?.('training');
    const storeSpec = writeTrainingFile(path.join(tmp, 'store-outcomes.jsonl'), split.train);
    card = await trainTextModel({ data: [storeSpec, ...o.baseData], options, logger: o.logger });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  o.onPhase?.('evaluating');
  const texts = split.heldBack.map((r) => r.text ?? '');
  const labels = split.heldBack.map((r) => r.label);
  const championScores = await scoreHeldBack({ dir: champion, texts, engine: o.engine, logger: o.logger });
  const challengerScores = await scoreHeldBack({ dir: o.out, texts, engine: o.engine, logger: o.logger });
  const paired = pairedBootstrapRocAuc(championScores.risks, challengerScores.risks, labels, {
    resamples: o.resamples ?? 1000,
  });
  const report: RetrainReport = {
    champion: summarise(championScores, labels),
    challenger: summarise(challengerScores, labels),
    difference: { rocAuc: paired?.difference ?? NaN, interval95: paired?.interval ?? null },
    heldBack: {
      count: labels.length,
      positives: labels.filter((l) => l === 1).length,
      from: split.heldBack[0].at,
      to: split.heldBack[split.heldBack.length - 1].at,
    },
    trainedOn: {
      count: card.data.rows,
      fromStore: split.train.length,
      fromBaseData: card.data.rows - split.train.length,
    },
    promoted: false,
    reason: '',
  };
  const lo = paired?.interval[0];
  const better = lo !== undefined && lo > 0;
  const margin = paired
    ? `ROC-AUC difference ${paired.difference.toFixed(4)}, 95% interval [${paired.interval[0].toFixed(4)}, ${paired.interval[1].toFixed(4)}]`
    : 'no interval (too few held-back outcomes of both classes in the resamples)';
  if (!o.promote) {
    report.reason = `${margin}; not asked to promote (--promote-if-better)`;
    return report;
  }
  if (!better) {
    report.reason = paired
      ? `${margin}: the lower bound is not above zero, so the challenger is not clearly better; nothing promoted`
      : `${margin}; nothing promoted`;
    return report;
  }
  o.onPhase?.('promoting');
  report.promotedTo = await promoteChallenger({
    store: o.store,
    bundleDir: o.out,
    version: challengerScores.version,
    modelsDir: o.promote.modelsDir ?? path.dirname(path.resolve(champion)),
    metrics: { heldBack: report.challenger, retrain: report.difference },
  });
  report.promoted = true;
  report.reason = `${margin}: the interval lies above zero; activated ${challengerScores.version}`;
  return report;
}
