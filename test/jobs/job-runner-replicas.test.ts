// Replicas on one PostgreSQL database: a starting runner resumes only the unfinished jobs whose folder is on its disk.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JobRunner, type JobSpec } from '../../src/jobs';
import { silentLogger } from '../../src/logging';
import { PostgresStore } from '../../src/store';
import { testDatabaseFor } from '../store/pg-test-database';
import { csvJobSpec, fakeCalibrator, fakeEngine, reviewRows, tempDir, toCsv } from './fake-scoring';

const { db, skip } = await testDatabaseFor('PostgreSQL job resume tests');
afterAll(async () => {
  await db?.drop();
});

function specIn(jobsDir: string, id: string): JobSpec {
  const inputPath = path.join(jobsDir, id, 'input.csv');
  fs.mkdirSync(path.dirname(inputPath), { recursive: true });
  fs.writeFileSync(inputPath, toCsv(reviewRows(5)));
  return csvJobSpec(inputPath);
}

describe.skipIf(skip !== undefined)(`job resume with a shared store${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it("resumes its own unfinished job and leaves another replica's alone", async () => {
    const store = await PostgresStore.create({ url: db!.url, display: db!.name, logger: silentLogger() });
    const [mine, theirs] = [tempDir(), tempDir()];
    await store.jobs.create({ id: 'mine', input: specIn(mine, 'mine'), state: 'running' });
    await store.jobs.create({ id: 'theirs', input: specIn(theirs, 'theirs'), state: 'running' });
    const engine = fakeEngine(0);
    const model = { version: 'fake-1', engine, calibrator: fakeCalibrator };
    const runner = await JobRunner.create({
      store,
      acquireModel: () => ({ model, release: () => {} }),
      jobsDir: mine,
      chunkSize: 8,
      logger: silentLogger(),
      sharedStore: true,
    });
    try {
      for (let i = 0; i < 500 && (await store.jobs.get('mine'))?.state !== 'succeeded'; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect((await store.jobs.get('mine'))?.state).toBe('succeeded');
      expect((await store.jobs.get('theirs'))?.state).toBe('running');
    } finally {
      await runner.stop();
      await engine.dispose();
      await store.dispose();
    }
  });
});
