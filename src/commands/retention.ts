// `churnscope retention`: deletes texts older than N days (with their scores) from the database once, and prints what it did.
import { commandLogger } from './command-logger';
import { loadConfig } from '../config';
import { ConfigError } from '../errors';
import type { Logger } from '../logging';
import { retentionCutoff } from '../privacy';
import { openStoreAt } from '../store';

export interface RetentionFlags {
  days?: number;
  db?: string;
}

export interface RetentionIo {
  env?: NodeJS.ProcessEnv;
  out?: NodeJS.WritableStream;
  logger?: Logger;
  clock?: () => Date;
}

export async function retentionCommand(
  flags: RetentionFlags,
  io: RetentionIo = {},
): Promise<{ cutoff: string; deleted: number }> {
  const config = loadConfig({ env: io.env ?? process.env, flags: { db: flags.db, retentionDays: flags.days } });
  const days = config.privacy.retentionDays;
  if (days === undefined) {
    throw new ConfigError('say how many days of texts to keep: --days N (or CHURNSCOPE_RETENTION_DAYS)', {
      field: 'days',
    });
  }
  const logger = io.logger ?? commandLogger();
  const { store, location } = await openStoreAt({ db: config.dbPath, logger });
  try {
    const cutoff = retentionCutoff((io.clock ?? (() => new Date()))(), days);
    const deleted = await store.texts.deleteOlderThan(cutoff);
    const result = { db: location, retentionDays: days, cutoff: cutoff.toISOString(), deleted };
    (io.out ?? process.stdout).write(`${JSON.stringify(result)}\n`);
    return result;
  } finally {
    await store.dispose();
  }
}
