// `churnscope retrain`: stored outcomes (plus optional base data) → challenger bundle, compared on held-back outcomes.
import fs from 'node:fs';
import { commandLogger } from './command-logger';
import { loadConfig } from '../config';
import { ConfigError, ValidationError } from '../errors';
import { runRetrain } from '../retrain';
import { openStore, parseDbLocation } from '../store';
import { labelledDataSpec } from './labelled-data-flags';

export interface RetrainFlags {
  db?: string;
  out: string;
  since?: string;
  baseData?: string[];
  textCol: string;
  labelCol: string;
  positive?: string[];
  negative?: string[];
  sourceCol?: string;
  promoteIfBetter?: boolean;
  model?: string;
  modelsDir?: string;
  heldBackFraction: number;
  /** privacy.storeText of the service that filled the store (env CHURNSCOPE_STORE_TEXT). */
  storeText?: string;
  precision?: string;
  mode: string;
  seed?: number;
  epochs?: number;
  backend: string;
  cacheDir?: string;
  /** commander's `--no-quantize`. */
  quantize?: boolean;
  resamples: number;
}

export async function retrainCommand(flags: RetrainFlags): Promise<void> {
  const config = loadConfig({
    env: process.env,
    flags: {
      db: flags.db,
      model: flags.model,
      modelsDir: flags.modelsDir,
      storeText: flags.storeText,
      precision: flags.precision,
    },
  });
  if (!config.dbPath) throw new ConfigError('--db is required (or env CHURNSCOPE_DB)', { field: 'db' });
  if (parseDbLocation(config.dbPath, '--db').kind === 'sqlite' && !fs.existsSync(config.dbPath))
    throw new ConfigError(`database ${config.dbPath} not found`, { field: 'db' });
  const baseData = (flags.baseData ?? []).map((file) => {
    if (!flags.positive?.length)
      throw new ValidationError('--base-data needs --positive: the label value(s) meaning churned', {
        field: 'positive',
      });
    return labelledDataSpec({ ...flags, data: file, positive: flags.positive });
  });
  const since = flags.since;
  if (since !== undefined && Number.isNaN(new Date(since).getTime()))
    throw new ValidationError(`--since must be an ISO-8601 date, got "${since}"`, { field: 'since' });
  const logger = commandLogger();
  const store = await openStore({ db: config.dbPath, logger });
  try {
    const report = await runRetrain({
      store,
      out: flags.out,
      since,
      baseData,
      heldBackFraction: flags.heldBackFraction,
      championDir: flags.model,
      defaultModelDir: config.modelDir,
      storeText: config.privacy.storeText,
      promote: flags.promoteIfBetter ? { modelsDir: config.modelsDir } : undefined,
      train: {
        mode: flags.mode,
        seed: flags.seed,
        epochs: flags.epochs,
        backend: flags.backend,
        cacheDir: flags.cacheDir,
        quantize: flags.quantize ?? true,
      },
      engine: config.engine,
      logger,
      resamples: flags.resamples,
      onPhase: (phase) => process.stderr.write(`retrain: ${phase}\n`),
    });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await store.dispose();
  }
}
