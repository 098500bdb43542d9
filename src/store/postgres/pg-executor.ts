// Runs the PostgreSQL store's statements on a pool: a transaction pins one client, found again through async context.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { OverloadedError } from '../../errors';
import type { Logger } from '../../logging';
import { isUnavailable, unavailable } from './pg-errors';

interface TxState {
  client: PoolClient;
  /** False once committed or rolled back: work a finished transaction left running must not use its client. */
  open: boolean;
  afterCommit: Array<() => Promise<void>>;
  /** Savepoints are taken one at a time, so parallel writes inside one transaction cannot interleave theirs. */
  chain: Promise<unknown>;
  savepoints: number;
}

interface Scope {
  tx: TxState;
  /** Inside a write's savepoint already: a nested write joins it. */
  inWrite: boolean;
}

/**
 * A client taken from the pool for several statements. pg-pool listens for connection errors only on idle clients;
 * a checked-out one whose server goes away would emit an 'error' nobody handles and bring the process down. The
 * listener here keeps the error (the statement in flight fails with it anyway) so release() can discard the client.
 */
export async function checkout(pool: Pool, logger: Logger): Promise<{ client: PoolClient; release: () => void }> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (err: Error) => {
    lost = err;
    logger.warn({ err }, 'PostgreSQL connection lost while in use');
  };
  client.on('error', onError);
  let released = false;
  return {
    client,
    release: () => {
      if (released) return;
      released = true;
      client.removeListener('error', onError);
      client.release(lost);
    },
  };
}

export class PgExecutor {
  private readonly scope = new AsyncLocalStorage<Scope>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    readonly pool: Pool,
    readonly logger: Logger,
  ) {}

  async query<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
    this.assertOpen();
    const tx = this.current();
    try {
      return tx ? await tx.tx.client.query<R>(sql, params) : await this.pool.query<R>(sql, params);
    } catch (e) {
      throw isUnavailable(e) ? unavailable(e, 'for a query') : e;
    }
  }

  async rows<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.query<R>(sql, params)).rows;
  }

  /**
   * One writing statement: atomic by itself outside a transaction; inside one, a savepoint keeps its failure
   * (a duplicate, a missing reference) from aborting the caller's transaction, as SQLite's statement rollback does.
   */
  async statement<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
    return this.current() ? this.write(() => this.query<R>(sql, params)) : this.query<R>(sql, params);
  }

  /** fn runs atomically: in a transaction of its own, or as a savepoint inside the caller's (a failure undoes only fn). */
  async write<T>(fn: () => Promise<T>): Promise<T> {
    this.assertOpen();
    const scope = this.current();
    if (!scope) return this.transaction(fn);
    if (scope.inWrite) return fn();
    const { tx } = scope;
    const run = tx.chain.then(async () => {
      const name = `w${++tx.savepoints}`;
      await tx.client.query(`SAVEPOINT ${name}`);
      try {
        const result = await this.scope.run({ tx, inWrite: true }, fn);
        await tx.client.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (e) {
        // A failed statement leaves the transaction aborted until rolled back to before it.
        if (tx.open) await tx.client.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
        throw e;
      }
    });
    tx.chain = run.catch(() => undefined);
    return run;
  }

  async transaction<T>(fn: () => Promise<T> | T): Promise<T> {
    this.assertOpen();
    if (this.current()) return fn();
    const work = this.runTransaction(fn);
    this.inFlight.add(work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  /** For statements that cannot run inside a transaction block (VACUUM): deferred until the caller's commits, if any. */
  async outsideTransaction(fn: () => Promise<void>): Promise<void> {
    const scope = this.current();
    if (scope) scope.tx.afterCommit.push(fn);
    else await fn();
  }

  /** Waits for transactions in flight, then closes the pool. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    await this.pool.end();
  }

  private async runTransaction<T>(fn: () => Promise<T> | T): Promise<T> {
    let held: Awaited<ReturnType<typeof checkout>>;
    try {
      held = await checkout(this.pool, this.logger);
    } catch (e) {
      throw isUnavailable(e) ? unavailable(e, 'for a transaction') : e;
    }
    const { client } = held;
    const tx: TxState = { client, open: true, afterCommit: [], chain: Promise.resolve(), savepoints: 0 };
    try {
      await client.query('BEGIN');
      const result = await this.scope.run({ tx, inWrite: false }, fn);
      await tx.chain;
      await client.query('COMMIT');
      tx.open = false;
      held.release();
      await this.runAfterCommit(tx.afterCommit);
      return result;
    } catch (e) {
      if (tx.open) {
        tx.open = false;
        // A ROLLBACK that fails means the connection is gone: the error listener has marked the client for disposal.
        await client.query('ROLLBACK').catch(() => undefined);
      }
      throw isUnavailable(e) ? unavailable(e, 'during a transaction') : e;
    } finally {
      tx.open = false;
      held.release();
    }
  }

  /** The transaction has committed: a failing follow-up must not make its caller believe it did not. */
  private async runAfterCommit(tasks: Array<() => Promise<void>>): Promise<void> {
    for (const task of tasks) {
      try {
        await task();
      } catch (err) {
        this.logger.warn({ err }, 'a task deferred until after commit failed');
      }
    }
  }

  private current(): Scope | undefined {
    const scope = this.scope.getStore();
    return scope?.tx.open ? scope : undefined;
  }

  private assertOpen(): void {
    if (this.closed) throw new OverloadedError('the store is closed');
  }
}
