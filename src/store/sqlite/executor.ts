// Runs every statement of the store's one connection: async transactions get the connection to themselves.
import { AsyncLocalStorage } from 'node:async_hooks';
import type BetterSqlite3 from 'better-sqlite3';
import { OverloadedError } from '../../errors';
import { retryBusy, type BusyRetryOptions } from './retry-busy';

type Db = BetterSqlite3.Database;

/** FIFO turn-taking; the holder hands over directly so no one can slip in between. */
class Gate {
  private held = false;
  private readonly waiting: Array<() => void> = [];

  get busy(): boolean {
    return this.held;
  }

  acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

/**
 * One connection has one transaction state, so while a transaction awaits, anything else run on the connection
 * would land inside it (and could read its uncommitted rows). The gate makes everyone else wait; calls made from
 * within the transaction (recognised by async context) go straight through.
 */
export class Executor {
  private readonly gate = new Gate();
  private readonly scope = new AsyncLocalStorage<object>();
  private activeTransaction: object | undefined;
  private afterCommit: Array<() => void> = [];
  private closed = false;

  constructor(
    readonly db: Db,
    private readonly retry: BusyRetryOptions,
  ) {}

  async read<T>(fn: () => T): Promise<T> {
    this.assertOpen();
    if (this.inTransaction() || !this.gate.busy) return fn();
    return this.exclusive(fn);
  }

  /** fn runs atomically: in its own IMMEDIATE transaction, or as a savepoint inside the caller's. */
  async write<T>(fn: () => T): Promise<T> {
    this.assertOpen();
    const tx = this.db.transaction(fn);
    if (this.inTransaction()) return tx();
    // IMMEDIATE takes the write lock up front, so "busy" can only happen before anything ran and a retry is safe.
    return this.exclusive(() => retryBusy(() => tx.immediate(), this.retry));
  }

  async transaction<T>(fn: () => Promise<T> | T): Promise<T> {
    this.assertOpen();
    if (this.inTransaction()) return fn();
    return this.exclusive(async () => {
      await retryBusy(() => this.db.exec('BEGIN IMMEDIATE'), this.retry);
      const token = {};
      this.activeTransaction = token;
      try {
        const result = await this.scope.run(token, fn);
        this.db.exec('COMMIT');
        this.activeTransaction = undefined;
        this.runAfterCommit();
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      } finally {
        this.activeTransaction = undefined;
        this.afterCommit = [];
      }
    });
  }

  /** For work that cannot run inside a transaction (checkpoints): deferred until the caller's commits, if any. */
  async outsideTransaction(fn: () => void): Promise<void> {
    if (this.inTransaction()) this.afterCommit.push(fn);
    else await this.exclusive(fn);
  }

  /** The transaction has committed: a failing follow-up must not make its caller believe it did not. */
  private runAfterCommit(): void {
    for (const task of this.afterCommit) {
      try {
        task();
      } catch (err) {
        this.retry.logger.warn({ err }, 'a task deferred until after commit failed');
      }
    }
  }

  private async exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    await this.gate.acquire();
    try {
      this.assertOpen();
      return await fn();
    } finally {
      this.gate.release();
    }
  }

  async close(fn: () => void): Promise<void> {
    await this.gate.acquire();
    try {
      if (this.closed) return;
      this.closed = true;
      fn();
    } finally {
      this.gate.release();
    }
  }

  private inTransaction(): boolean {
    // A promise started inside a finished transaction keeps its context; it must queue like everyone else.
    const token = this.scope.getStore();
    return token !== undefined && token === this.activeTransaction;
  }

  private assertOpen(): void {
    if (this.closed) throw new OverloadedError('the store is closed');
  }
}
