// Writes against a file whose write lock another connection holds: bounded, non-blocking retry, then OverloadedError.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { OverloadedError } from '../../src/errors';
import { tempStore, type TempStore } from './temp-store';

let t: TempStore | undefined;
let other: Database.Database | undefined;
afterEach(async () => {
  if (other?.inTransaction) other.exec('ROLLBACK');
  other?.close();
  await t?.cleanup();
  t = undefined;
  other = undefined;
});

/** A second connection to the same file that takes the write lock and keeps it. */
function holdWriteLock(file: string): Database.Database {
  const db = new Database(file);
  db.exec('BEGIN IMMEDIATE');
  db.prepare("INSERT INTO customers (id, features, created_at, updated_at) VALUES ('holder', '{}', 'x', 'x')").run();
  return db;
}

describe('writes while another connection holds the lock', () => {
  it('back off without blocking the event loop and succeed once the lock is released', async () => {
    t = await tempStore({ busyTimeoutMs: 5, busyRetry: { attempts: 8, baseDelayMs: 20 } });
    other = holdWriteLock(t.file);
    const lockHolder = other;
    const releaseAfterMs = 150;
    setTimeout(() => lockHolder.exec('COMMIT'), releaseAfterMs);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const started = performance.now();
    try {
      const written = await t.store.customers.upsert({ id: 'late', features: { ok: true } });
      expect(written.features).toEqual({ ok: true });
    } finally {
      clearInterval(ticker);
    }
    expect(performance.now() - started).toBeGreaterThanOrEqual(releaseAfterMs - 10);
    // The loop kept turning meanwhile: the commit above ran from a timer, and so did the ticker.
    expect(ticks).toBeGreaterThan(5);
    expect((await t.store.customers.list({ limit: 10 })).map((c) => c.id)).toEqual(['holder', 'late']);
  });

  it('give up after the configured tries with an OverloadedError, writing nothing', async () => {
    t = await tempStore({ busyTimeoutMs: 1, busyRetry: { attempts: 3, baseDelayMs: 5 } });
    other = holdWriteLock(t.file);
    await expect(t.store.customers.importMany([{ id: 'a', features: {} }])).rejects.toBeInstanceOf(OverloadedError);
    await expect(t.store.transaction(() => 1)).rejects.toThrow(/locked by another writer \(tried 3 times\)/);
    other.exec('ROLLBACK');
    expect(await t.store.customers.get('a')).toBeNull();
    // Reads never wait for a writer in WAL mode, and the store works again once the lock is gone.
    await t.store.customers.upsert({ id: 'b', features: {} });
    expect((await t.store.customers.list({ limit: 10 })).map((c) => c.id)).toEqual(['b']);
  });
});
