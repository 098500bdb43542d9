// `churnscope themes`: themes of dissatisfied texts from a database or a CSV/JSONL file, as a table and a JSON file.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { commandLogger } from './command-logger';
import { readBundleInfo } from '../bundle';
import { loadConfig, type EngineConfig } from '../config';
import { openServingModel } from '../models';
import { ConfigError } from '../errors';
import type { Logger } from '../logging';
import { RiskCalibrator } from '../score';
import { openStore, parseDbLocation, type Store } from '../store';
import { formatThemesTable, parseThemeFilters, storeTextsFile, ThemesService } from '../themes';

export interface ThemesFlags {
  /** auto | fp32 | int8, validated by loadConfig. */
  precision?: string;
  db?: string;
  in?: string;
  textCol: string;
  customerCol?: string;
  sourceCol?: string;
  timeCol?: string;
  model?: string;
  from?: string;
  to?: string;
  source?: string;
  minRisk?: number;
  segment?: string;
  out: string;
}

export async function themesCommand(
  flags: ThemesFlags,
  io: { stdout?: NodeJS.WritableStream; logger?: Logger } = {},
): Promise<void> {
  if (Boolean(flags.db) === Boolean(flags.in))
    throw new ConfigError('give exactly one of --db <file> or --in <file>', { field: flags.db ? 'in' : 'db' });
  // A file that is not there would be created empty; a PostgreSQL URL is checked by connecting.
  if (flags.db && parseDbLocation(flags.db, '--db').kind === 'sqlite' && !existsSync(flags.db))
    throw new ConfigError(`database ${flags.db} not found`, { field: 'db' });
  const filters = parseThemeFilters({
    from: flags.from,
    to: flags.to,
    source: flags.source,
    minRisk: flags.minRisk,
    segment: flags.segment,
  });
  const config = loadConfig({ env: process.env, flags: { model: flags.model, precision: flags.precision } });
  const logger = io.logger ?? commandLogger();
  const calibrator = new RiskCalibrator(readBundleInfo(config.modelDir));
  // A file is embedded into a throw-away in-memory database, so both inputs go through the same engine.
  const store = await openStore({ db: flags.db ?? ':memory:', logger });
  try {
    if (flags.in) await loadFile(flags, { store, modelDir: config.modelDir, engineConfig: config.engine, logger });
    const themes = new ThemesService({ store, logger, defaultMinRisk: () => calibrator.thresholds.high });
    const result = await themes.themes(filters);
    (io.stdout ?? process.stdout).write(formatThemesTable(result));
    await writeFile(flags.out, `${JSON.stringify(result, null, 2)}\n`);
    (io.stdout ?? process.stdout).write(`\nwritten to ${flags.out}\n`);
  } finally {
    await store.dispose();
  }
}

async function loadFile(
  flags: ThemesFlags,
  ctx: {
    store: Store;
    modelDir: string;
    engineConfig: EngineConfig;
    logger: Logger;
  },
): Promise<void> {
  const model = await openServingModel({ dir: ctx.modelDir, engine: ctx.engineConfig, logger: ctx.logger });
  const { engine } = model;
  try {
    const { stored, skipped } = await storeTextsFile({
      file: flags.in!,
      store: ctx.store,
      engine,
      calibrator: model.calibrator,
      modelVersion: model.version,
      textColumn: flags.textCol,
      customerColumn: flags.customerCol,
      sourceColumn: flags.sourceCol,
      timeColumn: flags.timeCol,
      onProgress: (n) => process.stderr.write(`\rembedding texts: ${n}`),
    });
    process.stderr.write(`\rembedded ${stored} texts${skipped ? ` (${skipped} empty skipped)` : ''}\n`);
  } finally {
    await engine.dispose();
  }
}
