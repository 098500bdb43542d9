// After an erase or a retention run: rewrites the tables that held deleted rows, so no byte of them stays in the files.
import { setTimeout as sleep } from 'node:timers/promises';
import type { PoolClient } from 'pg';
import { checkout, type PgExecutor } from './pg-executor';

// Plain VACUUM only marks dead tuples reusable; their bytes stay in the pages until overwritten. VACUUM FULL
// writes each table (and its indexes and TOAST) anew and drops the old files: the counterpart of SQLite's
// secure_delete plus WAL truncation. Two things can hold it back, each waited for at most `waitMs`:
// - a transaction whose snapshot predates the delete (a long report, autovacuum's ANALYZE): VACUUM FULL must copy
//   rows that snapshot may still see, deleted ones included;
// - a lock on the table: VACUUM FULL needs it exclusively for a moment.
// Snapshots the first check cannot see (a backend still starting up holds one for every database) are caught by
// VACUUM's own report of rows it had to keep: the table is rewritten again until none are left.
// Either way the purge is logged as incomplete and the next one finishes the job, as SQLite's checkpoint does.
export const PURGED_TABLES = ['texts', 'scores', 'shadow_scores', 'feedback', 'alert_log', 'customers'] as const;

// Other sessions of this database holding a snapshot taken before `since`. Needs pg_read_all_stats (or the same
// role) to see other roles' sessions; unseen ones simply are not waited for.
const OLDER_SNAPSHOTS = `
  SELECT count(*)::int AS n FROM pg_stat_activity
  WHERE datname = current_database() AND pid <> pg_backend_pid()
    AND backend_xmin IS NOT NULL AND xact_start < $1`;

async function waitForOlderSnapshots(client: PoolClient, waitMs: number): Promise<boolean> {
  const { rows } = await client.query<{ since: string }>('SELECT clock_timestamp() AS since');
  const since = rows[0].since;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const { rows: older } = await client.query<{ n: number }>(OLDER_SNAPSHOTS, [since]);
    if (older[0].n === 0) return true;
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
}

// VACUUM VERBOSE's own count of what it had to keep; the server's messages are in English unless lc_messages says
// otherwise, and then the count is not found and the rewrite is trusted as it is.
const KEPT_DEAD = /(\d+) dead row versions cannot be removed yet/;

/** Rewrites one table; retried (until the deadline) while some snapshot still forces it to keep deleted rows. */
async function compact(client: PoolClient, table: string, deadline: number): Promise<number> {
  let kept = 0;
  const onNotice = (notice: { detail?: string; message?: string }) => {
    const m = KEPT_DEAD.exec(`${notice.detail ?? ''} ${notice.message ?? ''}`);
    if (m) kept += Number(m[1]);
  };
  client.on('notice', onNotice);
  try {
    for (;;) {
      kept = 0;
      await client.query(`VACUUM (FULL, VERBOSE) ${table}`);
      if (kept === 0 || Date.now() >= deadline) return kept;
      await sleep(100);
    }
  } finally {
    client.removeListener('notice', onNotice);
  }
}

export async function purgeDeleted(
  ex: PgExecutor,
  after: string,
  tables: readonly string[] = PURGED_TABLES,
  waitMs = 5000,
): Promise<boolean> {
  let complete = true;
  await ex.outsideTransaction(async () => {
    const held = await checkout(ex.pool, ex.logger);
    const { client } = held;
    try {
      if (!(await waitForOlderSnapshots(client, waitMs))) {
        complete = false;
        ex.logger.warn(
          `${after}: a transaction older than the delete is still open; its rows may stay in the files until the next purge`,
        );
      }
      await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(waitMs))}`);
      const deadline = Date.now() + waitMs;
      for (const table of tables) {
        try {
          const kept = await compact(client, table, deadline);
          if (kept > 0) {
            complete = false;
            ex.logger.warn(
              { table, kept },
              `${after}: ${table} still holds deleted rows another snapshot may see; the next purge removes them`,
            );
          }
        } catch (err) {
          complete = false;
          ex.logger.warn(
            { err, table },
            `${after}: ${table} could not be compacted now (busy); deleted rows stay in its files until the next purge`,
          );
        }
      }
      await client.query('RESET lock_timeout');
    } finally {
      held.release();
    }
  });
  return complete;
}
