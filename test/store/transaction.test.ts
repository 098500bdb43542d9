// store.transaction: commit, rollback, isolation from other callers on the same connection, deferred checkpoint.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../src/store';
import { fileContains, memoryStore, tempStore } from './temp-store';

let store: SqliteStore;
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(async () => {
  await store.dispose();
});

describe('store.transaction', () => {
  it('commits everything fn did and returns its result', async () => {
    const id = await store.transaction(async (tx) => {
      await tx.customers.upsert({ id: 'c', features: {} });
      return tx.texts.insert({ customerId: 'c', source: 'chat', text: 'hi', hash: 'h' });
    });
    expect(await store.texts.get(id)).not.toBeNull();
  });

  it('rolls back everything when fn throws, including nested transactions', async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.customers.upsert({ id: 'c', features: {} });
        await store.transaction(async (inner) => inner.models.register({ version: 'v1', path: 'p', metrics: {} }));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.customers.get('c')).toBeNull();
    expect(await store.models.get('v1')).toBeNull();
  });

  it('makes other callers wait, so they never see uncommitted rows', async () => {
    const events: string[] = [];
    const tx = store.transaction(async (t) => {
      await t.customers.upsert({ id: 'c', features: { v: 1 } });
      events.push('tx wrote');
      await sleep(50);
      events.push('tx commits');
    });
    // Issued while the transaction sleeps: both must wait for its commit.
    const read = store.customers.get('c').then((c) => events.push(`read saw ${c === null ? 'nothing' : 'c'}`));
    const write = store.customers.upsert({ id: 'd', features: {} }).then(() => events.push('outside write'));
    await Promise.all([tx, read, write]);
    expect(events).toEqual(['tx wrote', 'tx commits', 'read saw c', 'outside write']);
  });

  it('queues work that a finished transaction left running instead of letting it join a later one', async () => {
    let late: Promise<unknown> = Promise.resolve();
    await store.transaction(async () => {
      // Started inside the first transaction (so it carries its async context) but runs during the second.
      late = sleep(20).then(() => store.customers.upsert({ id: 'late', features: {} }));
    });
    await expect(
      store.transaction(async (tx) => {
        await tx.customers.upsert({ id: 'doomed', features: {} });
        await sleep(60);
        throw new Error('roll back the second transaction');
      }),
    ).rejects.toThrow('roll back');
    await late;
    expect(await store.customers.get('doomed')).toBeNull();
    expect(await store.customers.get('late')).not.toBeNull();
  });

  it('erase inside a transaction checkpoints after the commit instead of deadlocking', async () => {
    const t = await tempStore();
    try {
      const marker = 'MARKER-a81d-erase-in-transaction';
      await t.store.texts.insert({ customerId: 'c', source: 'chat', text: marker, hash: 'h' });
      const erased = await t.store.transaction(async (tx) => {
        await tx.customers.upsert({ id: 'x', features: {} });
        return tx.customers.erase('c');
      });
      expect(erased).toBe(true);
      expect(await t.store.customers.get('x')).not.toBeNull();
      expect(await fileContains(t.file, marker)).toBe(false);
    } finally {
      await t.cleanup();
    }
  });
});
