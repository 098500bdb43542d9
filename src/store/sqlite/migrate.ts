// Brings a database up to the newest schema this code knows, one migration per transaction, and refuses newer ones.
import type BetterSqlite3 from 'better-sqlite3';
import { ConfigError } from '../../errors';
import type { Logger } from '../../logging';
import type { Migration } from './migrations';

export interface MigrateResult {
  from: number;
  to: number;
  applied: number[];
}

function assertOrdered(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (!Number.isSafeInteger(m.version) || m.version < 1 || (i > 0 && m.version <= list[i - 1].version)) {
      throw new ConfigError(`migration versions must be positive and strictly increasing (at "${m.name}")`);
    }
  });
}

function currentVersion(db: BetterSqlite3.Database): number {
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}

export function migrate(db: BetterSqlite3.Database, list: readonly Migration[], logger: Logger): MigrateResult {
  assertOrdered(list);
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const from = currentVersion(db);
  const known = list.length === 0 ? 0 : list[list.length - 1].version;
  if (from > known) {
    // Running older code on a newer schema could silently drop columns it does not know; refuse instead.
    throw new ConfigError(
      `the database schema is version ${from}, newer than the ${known} this churnscope knows; ` +
        'upgrade churnscope or point it at another database',
      { field: 'dbPath' },
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const m of list) {
    // Re-read inside the write lock: another process may have migrated since we looked.
    const apply = db.transaction(() => {
      if (currentVersion(db) >= m.version) return false;
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
      return true;
    });
    let done: boolean;
    try {
      done = apply.immediate();
    } catch (cause) {
      throw new ConfigError(`database migration ${m.version} (${m.name}) failed: ${(cause as Error).message}`, {
        cause,
      });
    }
    if (done) {
      applied.push(m.version);
      logger.info({ version: m.version, name: m.name }, 'database migrated');
    }
  }
  return { from, to: Math.max(from, known), applied };
}
