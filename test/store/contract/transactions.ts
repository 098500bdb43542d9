// Contract: store.transaction (commit, rollback, isolation, nesting) and writes that stay correct under concurrency.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../src/errors';
import { useStore, type HarnessRef } from './harness';

export function transactionsContract(h: HarnessRef): void {
  const store = useStore(h);

  describe('store.transaction', () => {
    it('commits everything fn did and returns its result', async () => {
      const id = await store().transaction(async (tx) => {
        await tx.customers.upsert({ id: 'c', features: {} });
        return tx.texts.insert({ customerId: 'c', source: 'chat', text: 'hi', hash: 'h' });
      });
      expect(await store().texts.get(id)).not.toBeNull();
    });

    it('rolls back everything when fn throws, including nested transactions', async () => {
      await expect(
        store().transaction(async (tx) => {
          await tx.customers.upsert({ id: 'c', features: {} });
          await store().transaction(async (inner) => inner.models.register({ version: 'v1', path: 'p', metrics: {} }));
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store().customers.get('c')).toBeNull();
      expect(await store().models.get('v1')).toBeNull();
    });

    it('never lets other callers see uncommitted rows', async () => {
      const events: string[] = [];
      const tx = store().transaction(async (t) => {
        await t.customers.upsert({ id: 'c', features: { v: 1 } });
        events.push('tx wrote');
        await sleep(50);
        events.push('tx commits');
      });
      await sleep(10);
      const read = store()
        .customers.get('c')
        .then((c) => events.push(`read saw ${c === null ? 'nothing' : 'c'}`));
      const write = store()
        .customers.upsert({ id: 'd', features: {} })
        .then(() => events.push('outside write'));
      await Promise.all([tx, read, write]);
      // SQLite makes the reader wait for the commit; PostgreSQL lets it read the last committed state at once.
      const seen = events.findIndex((e) => e.startsWith('read saw'));
      expect(events[seen] === 'read saw nothing' || seen > events.indexOf('tx commits')).toBe(true);
      expect(await store().customers.get('d')).not.toBeNull();
    });

    it('queues work that a finished transaction left running instead of letting it join a later one', async () => {
      let late: Promise<unknown> = Promise.resolve();
      await store().transaction(async () => {
        // Started inside the first transaction (so it carries its async context) but runs during the second.
        late = sleep(20).then(() => store().customers.upsert({ id: 'late', features: {} }));
      });
      await expect(
        store().transaction(async (tx) => {
          await tx.customers.upsert({ id: 'doomed', features: {} });
          await sleep(60);
          throw new Error('roll back the second transaction');
        }),
      ).rejects.toThrow('roll back');
      await late;
      expect(await store().customers.get('doomed')).toBeNull();
      expect(await store().customers.get('late')).not.toBeNull();
    });

    it('a failed write inside a transaction undoes only itself; the transaction goes on and commits', async () => {
      await store().texts.insert({ id: 'dup', source: 'chat', text: 'x', hash: 'h' });
      await store().transaction(async (tx) => {
        await tx.customers.upsert({ id: 'kept', features: {} });
        await expect(tx.texts.insert({ id: 'dup', source: 'chat', text: 'y', hash: 'h' })).rejects.toThrow(
          ConflictError,
        );
        await tx.customers.upsert({ id: 'after', features: {} });
      });
      expect(await store().customers.get('kept')).not.toBeNull();
      expect(await store().customers.get('after')).not.toBeNull();
      expect((await store().texts.get('dup'))?.text).toBe('x');
    });

    it('erase inside a transaction cleans the files after the commit instead of deadlocking', async () => {
      const marker = 'MARKER-a81d-erase-in-transaction';
      await store().texts.insert({ customerId: 'c', source: 'chat', text: marker, hash: 'h' });
      const erased = await store().transaction(async (tx) => {
        await tx.customers.upsert({ id: 'x', features: {} });
        return tx.customers.erase('c');
      });
      expect(erased).toBe(true);
      expect(await store().customers.get('x')).not.toBeNull();
      expect(await h().bytesVisible?.(marker)).not.toBe(true);
    });
  });

  describe('concurrent writers', () => {
    it('insertIfAbsent stores a text id once however many writers race for it', async () => {
      const input = { id: 'job-1-7', source: 'review' as const, text: 'once', hash: 'h' };
      const results = await Promise.all(Array.from({ length: 8 }, () => store().texts.insertIfAbsent(input)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store().texts.insertIfAbsent({ ...input, text: 'again' })).toBe(false);
      expect((await store().texts.get('job-1-7'))?.text).toBe('once');
    });

    it('parallel transactions each commit their own rows, and upserts of one customer leave one row', async () => {
      await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          store().transaction(async (tx) => {
            await tx.customers.upsert({ id: 'shared', features: { writer: i } });
            await tx.texts.insert({ id: `t${i}`, customerId: 'shared', source: 'chat', text: `${i}`, hash: `${i}` });
          }),
        ),
      );
      expect(await store().customers.list({ limit: 10 })).toHaveLength(1);
      expect((await store().scores.history('shared', { limit: 10 })).length).toBe(0);
      for (let i = 0; i < 6; i++) expect(await store().texts.get(`t${i}`)).not.toBeNull();
    });

    it('parallel activations leave exactly one active model', async () => {
      for (const v of ['a', 'b', 'c', 'd']) await store().models.register({ version: v, path: v, metrics: {} });
      await Promise.all(['a', 'b', 'c', 'd'].map((v) => store().models.activate(v)));
      expect((await store().models.list()).filter((m) => m.active)).toHaveLength(1);
    });
  });
}
