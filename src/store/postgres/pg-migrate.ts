// Brings a PostgreSQL database up to the newest schema, under an advisory lock so replicas starting together migrate once.
import type { Pool } from 'pg';
import { ConfigError } from '../../errors';
import type { Logger } from '../../logging';
import { assertOrdered, latestVersion, newerSchemaError, type Migration } from '../migration';
import { isUnavailable, unavailable } from './pg-errors';
import { checkout } from './pg-executor';

export interface PgMigrateResult {
  from: number;
  to: number;
  applied: number[];
}

// Any constant works as long as every churnscope agrees on it; advisory locks are per database.
const MIGRATION_LOCK = 0x63687363; // "chsc"

export async function migratePg(pool: Pool, list: readonly Migration[], logger: Logger): Promise<PgMigrateResult> {
  assertOrdered(list);
  const known = latestVersion(list);
  let held;
  try {
    held = await checkout(pool, logger);
  } catch (e) {
    throw isUnavailable(e) ? unavailable(e, 'at start') : e;
  }
  const { client } = held;
  try {
    // Session-level lock: held across the per-migration transactions below, released in finally.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)',
      );
      const current = async () =>
        Number(
          (await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations')).rows[0].v ?? 0,
        );
      const from = await current();
      if (from > known) throw newerSchemaError(from, known);
      const applied: number[] = [];
      for (const m of list) {
        if (m.version <= from) continue;
        try {
          await client.query('BEGIN');
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
            m.version,
            m.name,
            new Date().toISOString(),
          ]);
          await client.query('COMMIT');
        } catch (cause) {
          await client.query('ROLLBACK').catch(() => undefined);
          if (isUnavailable(cause)) throw unavailable(cause, 'while migrating');
          throw new ConfigError(`database migration ${m.version} (${m.name}) failed: ${(cause as Error).message}`, {
            field: 'db',
            cause,
          });
        }
        applied.push(m.version);
        logger.info({ version: m.version, name: m.name }, 'database migrated');
      }
      return { from, to: Math.max(from, known), applied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    }
  } catch (e) {
    if (isUnavailable(e)) throw unavailable(e, 'while migrating');
    throw e;
  } finally {
    held.release();
  }
}
