import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { JobRunner, jobFiles, type JobSpec } from '../../src/jobs';
import { silentLogger } from '../../src/logging';
import { SqliteStore } from '../../src/store';
import { csvJobSpec, fakeCalibrator, fakeEngine, reviewRows, tempDir, toCsv } from './fake-scoring';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: { delayMs?: number; dbFile?: string; jobsDir?: string } = {}) {
  const jobsDir = opts.jobsDir ?? tempDir();
  const store = await SqliteStore.create({ path: opts.dbFile ?? ':memory:', logger: silentLogger() });
  const engine = fakeEngine(opts.delayMs ?? 0);
  const model = { version: 'fake-1', engine, calibrator: fakeCalibrator };
  const runner = await JobRunner.create({
    store,
    acquireModel: () => ({ model, release: () => {} }),
    jobsDir,
    chunkSize: 8,
    logger: silentLogger(),
  });
  const close = async () => {
    await runner.stop();
    await engine.dispose();
    await store.dispose();
  };
  cleanups.push(close);
  return { store, runner, jobsDir, close };
}

function specFor(jobsDir: string, id: string, n: number, extra: Partial<JobSpec> = {}): JobSpec {
  const inputPath = path.join(jobsDir, id, 'input.csv');
  fs.mkdirSync(path.dirname(inputPath), { recursive: true });
  fs.writeFileSync(inputPath, toCsv(reviewRows(n)));
  return csvJobSpec(inputPath, extra);
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('condition never held');
}

describe('JobRunner', () => {
  it('cancels a queued job at once and a running one after its in-flight chunks', async () => {
    const { store, runner, jobsDir } = await setup({ delayMs: 5 });
    const a = await runner.submit({ id: 'a', spec: specFor(jobsDir, 'a', 4000) });
    const b = await runner.submit({ id: 'b', spec: specFor(jobsDir, 'b', 10) });
    expect((await runner.cancel(b.id)).state).toBe('cancelled');
    await until(
      async () => (((await store.jobs.get(a.id))?.counts as { rowsDone?: number } | null)?.rowsDone ?? 0) > 0,
    );
    const cancelled = await runner.cancel(a.id);
    expect(cancelled.state).toBe('cancelled');
    const done = (cancelled.counts as { rowsDone: number }).rowsDone;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(4000);
    // The results hold exactly the rows the job reports, in order.
    const out = parse<{ id: string }>(fs.readFileSync(jobFiles(jobsDir, 'a', { output: 'csv' }).results, 'utf8'), {
      columns: true,
    });
    expect(out.map((r) => r.id)).toEqual(reviewRows(done).map((r) => r.id));
  });

  it('pauses a running job on stop, and a new runner over the same database finishes it with every row once', async () => {
    const dbFile = path.join(tempDir(), 'jobs.db');
    const first = await setup({ delayMs: 5, dbFile });
    const spec = specFor(first.jobsDir, 'j', 3000, { storeTexts: true });
    await first.runner.submit({ id: 'j', spec });
    await until(
      async () => (((await first.store.jobs.get('j'))?.counts as { rowsDone?: number } | null)?.rowsDone ?? 0) >= 16,
    );
    await first.close();
    const paused = await (async () => {
      const s = await SqliteStore.create({ path: dbFile, logger: silentLogger() });
      const rec = await s.jobs.get('j');
      await s.dispose();
      return rec!;
    })();
    expect(paused.state).toBe('running');

    const second = await setup({ dbFile, jobsDir: first.jobsDir });
    await until(async () => (await second.store.jobs.get('j'))?.state === 'succeeded');
    const out = parse<{
      id: string;
    }>(fs.readFileSync(jobFiles(first.jobsDir, 'j', spec).results, 'utf8'), { columns: true });
    expect(out.map((r) => r.id)).toEqual(reviewRows(3000).map((r) => r.id));
    expect((await second.store.jobs.get('j'))?.counts).toMatchObject({
      rowsDone: 3000,
      rowsTotal: 3000,
      scored: 3000,
      errors: 0,
    });
    for (const line of [2, 1500, 3001]) expect(await second.store.texts.get(`job-j-${line}`)).not.toBeNull();
  });

  it('fails a job whose input has gone, with the reason, and goes on with the next', async () => {
    const { store, runner, jobsDir } = await setup();
    const gone = specFor(jobsDir, 'gone', 5);
    fs.rmSync(gone.inputPath);
    await runner.submit({ id: 'gone', spec: gone });
    await runner.submit({ id: 'next', spec: specFor(jobsDir, 'next', 5) });
    await until(async () => (await store.jobs.get('next'))?.state === 'succeeded');
    expect(await store.jobs.get('gone')).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/input\.csv: file not found/),
    });
  });

  it('purges finished jobs older than the cutoff, files and row, and leaves newer ones', async () => {
    const { store, runner, jobsDir } = await setup();
    await runner.submit({ id: 'old', spec: specFor(jobsDir, 'old', 3) });
    await until(async () => (await store.jobs.get('old'))?.state === 'succeeded');
    await new Promise((r) => setTimeout(r, 10));
    const cutoff = new Date();
    await new Promise((r) => setTimeout(r, 10));
    await runner.submit({ id: 'new', spec: specFor(jobsDir, 'new', 3) });
    await until(async () => (await store.jobs.get('new'))?.state === 'succeeded');
    expect(await runner.purgeFinishedBefore(new Date(0))).toBe(0);
    expect(await runner.purgeFinishedBefore(cutoff)).toBe(1);
    expect(await store.jobs.get('old')).toBeNull();
    expect(fs.existsSync(path.join(jobsDir, 'old'))).toBe(false);
    expect((await store.jobs.get('new'))?.state).toBe('succeeded');
    expect(fs.existsSync(path.join(jobsDir, 'new', 'results.csv'))).toBe(true);
  });
});
