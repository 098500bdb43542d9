// Checkpoints the WAL into the database file and empties it: deleted rows must not live on in the WAL file.
import type { Logger } from '../../logging';
import type { Executor } from './executor';

/**
 * secure_delete zeroes deleted content in the main file, but the WAL keeps the pages as they were before the delete
 * until a checkpoint copies the new versions back; TRUNCATE then cuts the WAL file to zero bytes. A reader on another
 * connection can hold the checkpoint back: that is logged, and the next checkpoint finishes the job.
 */
export async function truncateWal(ex: Executor, logger: Logger, after: string): Promise<boolean> {
  let complete = true;
  await ex.outsideTransaction(() => {
    const [result] = ex.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{
      busy: number;
      log: number;
      checkpointed: number;
    }>;
    if (result && result.busy !== 0) {
      complete = false;
      logger.warn(
        result,
        `${after}: checkpoint incomplete (a reader is active); deleted rows stay in the WAL until the next one`,
      );
    }
  });
  return complete;
}
