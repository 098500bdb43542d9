// Queued jobs with the fake engine on PostgreSQL: an upload stored in chunks, worked by two workers with each row once; bad inputs, cancelled jobs and redelivered chunks.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChunkWorker, QueuedJobs, queuedResultText, type JobSpec } from '../../src/jobs';
import { silentLogger } from '../../src/logging';
import { PostgresStore, type JobQueue } from '../../src/store';
import { testDatabaseFor } from '../store/pg-test-database';
import { csvJobSpec, fakeCalibrator, fakeEngine, reviewRows, tempDir, toCsv } from './fake-scoring';

const { db, skip } = await testDatabaseFor('queued job worker tests');
const dir = tempDir();
let store: PostgresStore;
let queue: JobQueue;
const engine = fakeEngine(0);
const model = { version: 'fake-1', engine, calibrator: fakeCalibrator };
const acquireModel = () => ({ model, release: () => {} });

beforeAll(async () => {
  if (!db) return;
  store = await PostgresStore.create({ url: db.url, display: db.name, logger: silentLogger() });
  queue = await store.openJobQueue({ leaseSeconds: 5 });
});
afterAll(async () => {
  await queue?.dispose();
  await store?.dispose();
  await engine.dispose();
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function specFor(name: string, csv: string): JobSpec {
  const inputPath = path.join(dir, `${name}.csv`);
  fs.writeFileSync(inputPath, csv);
  return csvJobSpec(inputPath);
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000 && !(await check()); i++) await new Promise((r) => setTimeout(r, 20));
}

const text = async (id: string, which: 'results' | 'errors') => {
  const rec = (await store.jobs.get(id))!;
  let out = '';
  for await (const t of queuedResultText(queue, rec, { output: 'csv' }, which)) out += t;
  return out;
};

describe.skipIf(skip !== undefined)(`queued jobs${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('stores an upload in chunks, and two workers score each row once, in input order', async () => {
    const jobs = new QueuedJobs({ store, queue, chunkSize: 7, logger: silentLogger() });
    const rows = reviewRows(100);
    const csv = toCsv(rows).replace('r50,', 'r50,,extra\nbroken,'); // one record with too many cells
    const rec = await jobs.submit({ id: 'two-workers', spec: specFor('two', csv) });
    expect(rec.state).toBe('queued');
    expect(rec.cursor).toEqual({ chunks: 15, columns: ['id', 'text', 'stars'], enqueued: true });
    expect(await queue.chunk('two-workers', 14)).toMatchObject({ firstRow: 98 });
    const workers = await Promise.all(
      [1, 2].map(() => ChunkWorker.create({ store, queue, acquireModel, logger: silentLogger(), idleMs: 20 })),
    );
    try {
      await until(async () => (await store.jobs.get('two-workers'))?.state === 'succeeded');
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    const done = (await store.jobs.get('two-workers'))!;
    expect(done.state).toBe('succeeded');
    expect(done.counts).toMatchObject({ rowsDone: 101, rowsTotal: 101, modelVersion: 'fake-1' });
    expect(workers[0].stats.chunks + workers[1].stats.chunks).toBe(15);
    const out = (await text('two-workers', 'results')).trim().split('\n');
    expect(out[0]).toBe('id,text,stars,risk,band,textRisk,tabularRisk,rawProbability,phrases');
    const ids = out.slice(1).map((l) => l.split(',')[0]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 3)).toEqual(['r1', 'r2', 'r3']);
    expect(ids.at(-1)).toBe('r100');
    const errors = (await text('two-workers', 'errors')).trim().split('\n');
    expect(errors.length).toBe((done.counts as { errors: number }).errors);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('fails a job whose input cannot be read, with the reason', async () => {
    const jobs = new QueuedJobs({ store, queue, logger: silentLogger() });
    const rec = await jobs.submit({
      id: 'no-text-col',
      spec: { ...specFor('bad', 'id,body\n1,hello\n'), textCol: 'text' },
    });
    expect(rec.state).toBe('failed');
    expect(rec.error).toMatch(/text/);
  });

  it('skips the chunks of a cancelled job and chunks already committed', async () => {
    const jobs = new QueuedJobs({ store, queue, chunkSize: 10, logger: silentLogger() });
    await jobs.submit({ id: 'cancelled', spec: specFor('c', toCsv(reviewRows(30))) });
    expect((await jobs.cancel('cancelled'))?.state).toBe('cancelled');
    // A chunk delivered again after its commit (a lease that expired just as it was committed) is not rescored.
    await jobs.submit({ id: 'twice', spec: specFor('t', toCsv(reviewRows(10))) });
    const worker = await ChunkWorker.create({ store, queue, acquireModel, logger: silentLogger(), idleMs: 20 });
    try {
      await until(async () => (await store.jobs.get('twice'))?.state === 'succeeded' && worker.stats.skipped >= 3);
      await queue.enqueue('twice', 1);
      await until(async () => worker.stats.skipped >= 4);
    } finally {
      await worker.stop();
    }
    expect(worker.stats).toEqual({ chunks: 1, rows: 10, skipped: 4 });
    expect(await text('cancelled', 'results')).toBe('');
    expect((await store.jobs.get('cancelled'))?.state).toBe('cancelled');
  });

  it('leases the model for each chunk, so an activation applies from the next chunk on', async () => {
    const jobs = new QueuedJobs({ store, queue, chunkSize: 4, logger: silentLogger() });
    await jobs.submit({ id: 'leases', spec: specFor('l', toCsv(reviewRows(12))) });
    let acquired = 0;
    let released = 0;
    const lease = () => ({ model: { ...model, version: `fake-${++acquired}` }, release: () => void released++ });
    const worker = await ChunkWorker.create({
      store,
      queue,
      acquireModel: lease,
      concurrency: 1,
      logger: silentLogger(),
      idleMs: 20,
    });
    try {
      await until(async () => (await store.jobs.get('leases'))?.state === 'succeeded');
    } finally {
      await worker.stop();
    }
    expect([acquired, released]).toEqual([3, 3]);
    expect((await store.jobs.get('leases'))?.counts).toMatchObject({ modelVersion: 'fake-3', rowsDone: 12 });
  });
});
