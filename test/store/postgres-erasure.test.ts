// PostgreSQL erasure against a reader holding an old snapshot: the purge waits for it, so no byte survives.
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging';
import { PostgresStore } from '../../src/store';
import { testDatabaseFor } from './pg-test-database';

const { db, skip } = await testDatabaseFor('PostgreSQL erasure tests');
afterAll(async () => {
  await db?.drop();
});

describe.skipIf(skip !== undefined)(`PostgreSQL erasure${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('waits for a transaction whose snapshot still sees the rows, then leaves no byte of them', async () => {
    const store = await PostgresStore.create({ url: db!.url, display: db!.name, logger: silentLogger() });
    const reader = new Client({ connectionString: db!.url });
    await reader.connect();
    try {
      const marker = 'MARKER-5e1f-old-snapshot';
      await store.texts.insert({ customerId: 'gone', source: 'chat', text: marker, hash: 'h' });
      // A transaction with a snapshot from before the erase (and no lock on the tables): VACUUM FULL would have to
      // copy the rows it can still see.
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await reader.query('SELECT 1');
      const started = Date.now();
      const erased = store.customers.erase('gone');
      await sleep(400);
      await reader.query('COMMIT');
      expect(await erased).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(350);
      expect(await db!.bytesVisible(marker)).not.toBe(true);
    } finally {
      await reader.end();
      await store.dispose();
    }
  });

  it("keeps no copy of customers' words or ids in the planner statistics, which no erase could reach", async () => {
    const store = await PostgresStore.create({ url: db!.url, display: db!.name, logger: silentLogger() });
    const admin = new Client({ connectionString: db!.url });
    await admin.connect();
    try {
      for (let i = 0; i < 20; i++) {
        await store.texts.insert({
          customerId: 'cust-STATMARKER',
          source: 'chat',
          text: `STATMARKER text ${i % 3}`,
          hash: `h${i % 2}`,
          snippet: `STATMARKER snippet ${i % 3}`,
        });
      }
      await store.feedback.insert({
        customerId: 'cust-STATMARKER',
        outcome: 'override',
        overrideRisk: 0.2,
        note: 'STATMARKER',
      });
      await admin.query('ANALYZE');
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stats WHERE schemaname = 'public'
           AND (most_common_vals::text LIKE '%STATMARKER%' OR histogram_bounds::text LIKE '%STATMARKER%')`,
      );
      expect(rows[0].n).toBe(0);
      expect(await store.customers.erase('cust-STATMARKER')).toBe(true);
      expect(await db!.bytesVisible('STATMARKER')).not.toBe(true);
    } finally {
      await admin.end();
      await store.dispose();
    }
  });
});
