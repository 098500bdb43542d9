// CoalescedWrites: writes queued in one turn share a transaction, settle only after its commit, and fail alone.
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { silentLogger } from '../../src/logging';
import { CoalescedWrites } from '../../src/service';
import { SqliteStore, type Store, type StoreRepositories } from '../../src/store';

/** A store whose transactions are logged: begin, each write, then commit or rollback. */
function loggingStore() {
  const log: string[] = [];
  const store: Pick<Store, 'transaction'> = {
    async transaction<T>(fn: (tx: StoreRepositories) => Promise<T> | T): Promise<T> {
      log.push('begin');
      try {
        const out = await fn({} as StoreRepositories);
        log.push('commit');
        return out;
      } catch (e) {
        log.push('rollback');
        throw e;
      }
    },
  };
  return { store, log };
}

describe('CoalescedWrites', () => {
  let sqlite: SqliteStore | undefined;
  afterEach(async () => {
    await sqlite?.dispose();
    sqlite = undefined;
  });

  it('runs the writes queued in one turn in one transaction, in order, and settles them after its commit', async () => {
    const { store, log } = loggingStore();
    const writes = new CoalescedWrites({ store });
    const settled: string[] = [];
    const all = ['a', 'b', 'c'].map((name) =>
      writes
        .run(async () => {
          log.push(name);
          return name.toUpperCase();
        })
        .then((v) => {
          settled.push(`${v} after ${log.at(-1)}`);
          return v;
        }),
    );
    expect(await Promise.all(all)).toEqual(['A', 'B', 'C']);
    expect(log).toEqual(['begin', 'a', 'b', 'c', 'commit']);
    expect(settled).toEqual(['A after commit', 'B after commit', 'C after commit']);
    // A later turn gets a transaction of its own.
    await writes.run(async () => log.push('d'));
    expect(log.slice(5)).toEqual(['begin', 'd', 'commit']);
  });

  it('gives every write the outcome it would have had alone when one of a group fails', async () => {
    const { store, log } = loggingStore();
    const writes = new CoalescedWrites({ store });
    const ok = writes.run(async () => (log.push('ok'), 1));
    const bad = writes.run(async () => {
      log.push('bad');
      throw new ValidationError('text is empty', { field: 'text' });
    });
    const alsoOk = writes.run(async () => (log.push('alsoOk'), 2));
    await expect(bad).rejects.toThrow('text is empty');
    expect(await ok).toBe(1);
    expect(await alsoOk).toBe(2);
    // The shared attempt was rolled back whole; then each ran alone, and only the bad one rolled back again.
    expect(log.slice(0, 4)).toEqual(['begin', 'ok', 'bad', 'rollback']);
    const alone = log.slice(4).join(' ');
    expect(alone.match(/begin/g)).toHaveLength(3);
    expect(alone.match(/commit/g)).toHaveLength(2);
    expect(alone.match(/rollback/g)).toHaveLength(1);
  });

  it('keeps the rows of every grouped write on a real store, and none of a failed one', async () => {
    sqlite = await SqliteStore.create({ path: ':memory:', logger: silentLogger() });
    const writes = new CoalescedWrites({ store: sqlite });
    const badTextIds: string[] = [];
    const insert = (customerId: string, text: string) =>
      writes.run(async (tx) => {
        const id = await tx.texts.insert({ customerId, source: 'ticket', text, hash: text, createdAt: new Date(0) });
        if (customerId === 'bad') badTextIds.push(id);
        // A score for a text that does not exist fails, after the text row of the same write was inserted.
        await tx.scores.insert({
          textId: customerId === 'bad' ? 'no-such-text' : id,
          modelVersion: 'v1',
          risk: 0.5,
          textRisk: 0.5,
          tabularRisk: null,
          band: 'medium',
          drivers: {},
          createdAt: new Date(0),
        });
        return id;
      });
    const results = await Promise.allSettled([insert('c1', 'one'), insert('bad', 'two'), insert('c2', 'three')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    for (const r of results) if (r.status === 'fulfilled') expect(await sqlite.texts.get(r.value)).not.toBeNull();
    expect(await sqlite.scores.history('c1', { limit: 10 })).toHaveLength(1);
    expect(await sqlite.scores.history('c2', { limit: 10 })).toHaveLength(1);
    // The failed write's text rows (shared attempt, then alone) went with the rollbacks, as they would have alone.
    expect(badTextIds).toHaveLength(2);
    for (const id of badTextIds) expect(await sqlite.texts.get(id)).toBeNull();
  });
});
