// Brings a database up to the newest schema this code knows, one migration per transaction, and refuses newer ones.
import type BetterSqlite3 from 'better-sqlite3';
import { ConfigError } from '../../errors';
import type { Logger } from '../../logging';
import { assertOrdered, latestVersion, newerSchemaError, type Migration } from '../migration';

export interface MigrateResult {
  from: number;
  to: number;
  applied: number[];
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
  const known = latestVersion(list);
  if (from > known) throw newerSchemaError(from, known);
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
