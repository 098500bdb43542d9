// QueuedJobs on PostgreSQL: an upload fully queued is marked so, and one a dead replica left half-stored is failed by the sweep, never a live or finished one.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueuedJobs, UploadSweeper, type JobSpec } from '../../src/jobs';
import { silentLogger } from '../../src/logging';
import { PostgresStore, type JobQueue } from '../../src/store';
import { testDatabaseFor } from '../store/pg-test-database';
import { reviewRows, tempDir, toCsv } from './fake-scoring';

const { db, skip } = await testDatabaseFor('queued job upload tests');
const dir = tempDir();
let store: PostgresStore;
let queue: JobQueue;

beforeAll(async () => {
  if (!db) return;
  store = await PostgresStore.create({ url: db.url, display: db.name, logger: silentLogger() });
  queue = await store.openJobQueue();
});
afterAll(async () => {
  await queue?.dispose();
  await store?.dispose();
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function spec(name: string): JobSpec {
  const inputPath = path.join(dir, `${name}.csv`);
  fs.writeFileSync(inputPath, toCsv(reviewRows(10)));
  const base = { textCol: 'text', storeTexts: false, source: 'review', output: 'csv', format: 'csv' } as const;
  return { ...base, inputPath, filename: null, bytes: 0 };
}

describe.skipIf(skip !== undefined)(`queued job uploads${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('fails only the queued jobs whose upload stopped before it was all enqueued', async () => {
    const jobs = new QueuedJobs({ store, queue, chunkSize: 4, logger: silentLogger() });
    const whole = await jobs.submit({ id: 'whole', spec: spec('whole') });
    expect(whole.cursor).toEqual({ chunks: 3, columns: ['id', 'text', 'stars'], enqueued: true });
    // What a replica that died mid-upload leaves: the row, some chunks, no cursor; and one that died mid-enqueue.
    await store.jobs.create({ id: 'dead-upload', input: { ...spec('d'), queued: true }, state: 'queued' });
    await store.jobs.create({ id: 'dead-enqueue', input: { ...spec('e'), queued: true }, state: 'queued' });
    await store.jobs.update('dead-enqueue', { cursor: { chunks: 3, columns: null, enqueued: false } });
    await store.jobs.create({ id: 'in-process', input: spec('p'), state: 'queued' });

    expect(await jobs.failInterrupted({ staleMs: 120_000 })).toEqual([]);
    const later = new Date(Date.now() + 180_000);
    expect((await jobs.failInterrupted({ staleMs: 120_000, now: later })).sort()).toEqual([
      'dead-enqueue',
      'dead-upload',
    ]);
    expect(await store.jobs.get('dead-upload')).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/interrupted/),
    });
    expect((await store.jobs.get('whole'))?.state).toBe('queued');
    expect((await store.jobs.get('in-process'))?.state).toBe('queued');
  });

  it('sweeps once at start and is disposed', async () => {
    const calls: number[] = [];
    const sweeper = await UploadSweeper.create({
      jobs: { failInterrupted: async ({ staleMs }) => (calls.push(staleMs), []) },
      logger: silentLogger(),
      staleMs: 42,
    });
    await sweeper.dispose();
    expect(calls).toEqual([42]);
  });
});
