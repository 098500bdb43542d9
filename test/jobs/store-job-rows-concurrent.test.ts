// Two writers (replicas, or a resumed chunk) storing the same job chunk at once on one PostgreSQL database store each text and its score once.
import { afterAll, describe, expect, it } from 'vitest';
import { storeJobRows, type StoreJobRowsContext } from '../../src/jobs/store-job-rows';
import type { ScoredRow } from '../../src/jobs/score-chunk';
import { silentLogger } from '../../src/logging';
import { PostgresStore } from '../../src/store';
import { testDatabaseFor } from '../store/pg-test-database';

const { db, skip } = await testDatabaseFor('PostgreSQL job-row tests');
const stores: PostgresStore[] = [];
afterAll(async () => {
  for (const s of stores) await s.dispose();
  await db?.drop();
});

const rows: ScoredRow[] = Array.from({ length: 20 }, (_, i) => ({
  line: i + 2,
  values: { review: `review number ${i}`, customer: 'c1' },
  output: { band: 'low' },
  risk: 0.1,
  textRisk: 0.1,
  tabularRisk: null,
  embedding: Float32Array.from([1, 0, 0]),
}));

describe.skipIf(skip !== undefined)(`storing job rows concurrently${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('two stores writing the same chunk together leave one text and one score per line', async () => {
    const open = () => PostgresStore.create({ url: db!.url, display: db!.name, logger: silentLogger() });
    const [a, b] = [await open(), await open()];
    stores.push(a, b);
    await a.customers.upsert({ id: 'c1', features: {} });
    const ctx = (store: PostgresStore): StoreJobRowsContext => ({
      store,
      jobId: 'j1',
      spec: { textCol: 'review', source: 'review', customerCol: 'customer' },
      modelVersion: 'v1',
      now: () => new Date('2026-01-01T00:00:00Z'),
    });
    await Promise.all([storeJobRows(ctx(a), rows), storeJobRows(ctx(b), rows), storeJobRows(ctx(a), rows)]);
    const history = await a.scores.history('c1', { limit: 100 });
    expect(history).toHaveLength(rows.length);
    expect(new Set(history.map((h) => h.textId)).size).toBe(rows.length);
  });
});
