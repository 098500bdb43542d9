// The PostgreSQL job queue: chunks stored once, results written once per row however often a chunk is committed, commits refused after a cancel, and a lease that expires hands the chunk out again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging';
import { PostgresStore, type JobQueue, type JobResultInput, type JobTally } from '../../src/store';
import { testDatabaseFor } from './pg-test-database';

const { db, skip } = await testDatabaseFor('PostgreSQL job queue tests');
let store: PostgresStore;
let queue: JobQueue;

beforeAll(async () => {
  if (!db) return;
  store = await PostgresStore.create({ url: db.url, display: db.name, logger: silentLogger() });
  queue = await store.openJobQueue({ leaseSeconds: 1, maintenanceSeconds: 1, retryLimit: 3 });
});
afterAll(async () => {
  await queue?.dispose();
  await store?.dispose();
  await db?.drop();
});

const rowsOf = (first: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ kind: 'row', line: first + i + 2, values: { text: `t${first + i}` } }));
const resultsOf = (first: number, n: number, tag: string): JobResultInput[] =>
  Array.from({ length: n }, (_, i) =>
    i === 0
      ? { rowIndex: first, line: first + 2, output: null, error: `bad ${tag}` }
      : { rowIndex: first + i, line: first + i + 2, output: { text: `t${first + i}`, tag }, error: null },
  );
const tallies: JobTally[] = [];
const patch = (_job: unknown, tally: JobTally) => {
  tallies.push(tally);
  return { state: tally.chunksLeft === 0 ? ('succeeded' as const) : ('running' as const), counts: tally };
};

async function jobWithChunks(id: string, chunks: number, size: number): Promise<void> {
  await store.jobs.create({ id, input: { queued: true }, state: 'queued' });
  const all = Array.from({ length: chunks }, (_, c) => ({
    index: c,
    firstRow: c * size,
    rows: rowsOf(c * size, size),
  }));
  await queue.addChunks(id, all);
  await queue.addChunks(id, all.slice(0, 1)); // again: left as it is
}

async function takeWithin(ms: number) {
  for (const end = Date.now() + ms; Date.now() < end;) {
    const d = await queue.take();
    if (d) return d;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

describe.skipIf(skip !== undefined)(`PostgreSQL job queue${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('stores chunks once and gives them back in input order', async () => {
    await jobWithChunks('j-store', 3, 4);
    const c1 = await queue.chunk('j-store', 1);
    expect(c1).toMatchObject({ jobId: 'j-store', index: 1, firstRow: 4, done: false });
    expect(c1!.rows).toEqual(rowsOf(4, 4));
    expect(await queue.chunk('j-store', 3)).toBeNull();
  });

  it('writes each row once when a chunk is committed twice, and finishes the job on its last chunk', async () => {
    await jobWithChunks('j-once', 2, 3);
    tallies.length = 0;
    await queue.commitChunk('j-once', 1, resultsOf(3, 3, 'first'), patch);
    // Nothing of chunk 0 is done yet: no row may be streamed, though chunk 1's are stored.
    expect(await queue.results('j-once', { from: 0, limit: 100 })).toEqual([]);
    const again = await queue.commitChunk('j-once', 1, resultsOf(3, 3, 'second'), patch);
    expect(again?.state).toBe('running');
    const last = await queue.commitChunk('j-once', 0, resultsOf(0, 3, 'first'), patch);
    expect(tallies).toEqual([
      { rows: 3, scored: 2, errors: 1, chunksLeft: 1 },
      { rows: 3, scored: 2, errors: 1, chunksLeft: 1 },
      { rows: 6, scored: 4, errors: 2, chunksLeft: 0 },
    ]);
    expect(last?.state).toBe('succeeded');
    const results = await queue.results('j-once', { from: 0, limit: 100 });
    expect(results.map((r) => r.rowIndex)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.filter((r) => r.output).map((r) => r.output!.tag)).toEqual(['first', 'first', 'first', 'first']);
    expect((await queue.results('j-once', { from: 4, limit: 1 })).map((r) => r.rowIndex)).toEqual([4]);
  });

  it('commits nothing for a cancelled job, and cancels only queued or running ones', async () => {
    await jobWithChunks('j-cancel', 2, 2);
    expect((await queue.cancel('j-cancel'))?.state).toBe('cancelled');
    expect(await queue.cancel('j-cancel')).toBeNull();
    expect(await queue.commitChunk('j-cancel', 0, resultsOf(0, 2, 'late'), patch)).toBeNull();
    expect(await queue.results('j-cancel', { from: 0, limit: 10 })).toEqual([]);
    expect((await queue.chunk('j-cancel', 0))?.done).toBe(false);
  });

  it('delivers each enqueued chunk, and again after its lease expires', async () => {
    await jobWithChunks('j-lease', 2, 1);
    await queue.enqueue('j-lease', 2);
    const first = await takeWithin(5000);
    const second = await takeWithin(5000);
    expect([first?.chunk, second?.chunk].sort()).toEqual([0, 1]);
    expect(first).toMatchObject({ jobId: 'j-lease', retries: 0 });
    await queue.complete(second!);
    // first is neither completed nor failed: its taker "died". The maintenance pass must hand it out again.
    const redelivered = await takeWithin(20_000);
    expect(redelivered).toMatchObject({ id: first!.id, jobId: 'j-lease', chunk: first!.chunk, retries: 1 });
    await queue.fail(redelivered!, 'test');
    const afterFail = await takeWithin(20_000);
    expect(afterFail).toMatchObject({ id: first!.id, retries: 2 });
    await queue.complete(afterFail!);
    expect(await queue.take()).toBeNull();
  }, 60_000);
});
