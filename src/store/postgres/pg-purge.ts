// After an erase or a retention run: rewrites the tables that held deleted rows, so no byte of them stays in the files.
import type { PgExecutor } from './pg-executor';

// Plain VACUUM only marks dead tuples reusable; their bytes stay in the pages until overwritten. VACUUM FULL
// writes each table (and its indexes and TOAST) anew and drops the old files: the counterpart of SQLite's
// secure_delete plus WAL truncation. It locks each table briefly and exclusively, so it waits at most
// lockTimeoutMs for readers to finish; a purge that cannot get its lock is logged and the next one finishes the job.
export const PURGED_TABLES = ['texts', 'scores', 'feedback', 'alert_log', 'customers'] as const;

export async function purgeDeleted(
  ex: PgExecutor,
  after: string,
  tables: readonly string[] = PURGED_TABLES,
  lockTimeoutMs = 5000,
): Promise<boolean> {
  let complete = true;
  await ex.outsideTransaction(async () => {
    const client = await ex.pool.connect();
    try {
      await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`);
      for (const table of tables) {
        try {
          await client.query(`VACUUM (FULL) ${table}`);
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
      client.release();
    }
  });
  return complete;
}
