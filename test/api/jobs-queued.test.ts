// /v1/jobs on a PostgreSQL store: uploads go to the database in chunks, a worker scores them, and the API reports, streams and cancels them from the database.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChunkWorker } from '../../src/jobs';
import { silentLogger } from '../../src/logging';
import { PostgresStore, type JobQueue } from '../../src/store';
import { reviewRows } from '../jobs/fake-scoring';
import { testDatabaseFor } from '../store/pg-test-database';
import { call, startTestApp, type TestApp } from './test-app';

const { db, skip } = await testDatabaseFor('queued /v1/jobs tests');
let app: TestApp;
let queue: JobQueue;

beforeAll(async () => {
  if (!db) return;
  const store = await PostgresStore.create({ url: db.url, display: db.name, logger: silentLogger() });
  queue = await store.openJobQueue();
  app = await startTestApp({ store, jobQueue: queue, jobChunkSize: 8 });
});
afterAll(async () => {
  await queue?.dispose();
  await app?.close();
  await db?.drop();
});

const post = async (body: string) =>
  (await fetch(`${app.base}/v1/jobs?idCol=id&format=jsonl`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body,
  }).then((r) => r.json())) as { id: string; state: string };

describe.skipIf(skip !== undefined)(`queued /v1/jobs${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('is cancelled while queued, and keeps no copy of the upload on this server', async () => {
    const { id, state } = await post(
      `${reviewRows(20)
        .map((r) => JSON.stringify(r))
        .join('\n')}\n`,
    );
    expect(state).toBe('queued');
    expect(fs.existsSync(path.join(app.jobsDir, id))).toBe(false);
    const cancelled = await call(app.base, 'DELETE', `/v1/jobs/${id}`);
    expect(cancelled).toMatchObject({ status: 200, json: { state: 'cancelled', rowsTotal: 20 } });
    expect((await call(app.base, 'DELETE', `/v1/jobs/${id}`)).status).toBe(409);
  });

  it('is scored by a worker and streamed in input order as JSON Lines, errors apart', async () => {
    const lines = reviewRows(40).map((r) => JSON.stringify(r));
    lines.splice(10, 0, '{"id":"bad","text":""}');
    const { id } = await post(`${lines.join('\n')}\n`);
    const worker = await ChunkWorker.create({
      store: app.store,
      queue,
      acquireModel: () => app.models.acquire(),
      logger: silentLogger(),
      idleMs: 20,
    });
    let status: { json: { state: string } } = await call(app.base, 'GET', `/v1/jobs/${id}`);
    try {
      for (let i = 0; i < 500 && status.json.state !== 'succeeded'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        status = await call(app.base, 'GET', `/v1/jobs/${id}`);
      }
    } finally {
      await worker.stop();
    }
    expect(status.json).toMatchObject({ state: 'succeeded', rowsDone: 41, rowsTotal: 41, scored: 40, errors: 1 });
    const res = await fetch(`${app.base}/v1/jobs/${id}/results`);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get('x-job-state')).toBe('succeeded');
    const out = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; risk: number });
    expect(out.map((r) => r.id)).toEqual(reviewRows(40).map((r) => r.id));
    expect(out.every((r) => r.risk >= 0 && r.risk <= 1)).toBe(true);
    const errors = (await (await fetch(`${app.base}/v1/jobs/${id}/errors`)).text()).trim().split('\n');
    expect(errors.map((l) => JSON.parse(l) as { line: number }).map((e) => e.line)).toEqual([11]);
  });
});
