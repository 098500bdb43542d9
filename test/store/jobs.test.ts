// The minimal jobs repository the batch-scoring work will build on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/errors';
import type { SqliteStore } from '../../src/store';
import { memoryStore } from './temp-store';

let store: SqliteStore;
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(async () => {
  await store.dispose();
});

describe('jobs', () => {
  it('creates queued jobs and tracks cursor, counts and state', async () => {
    const job = await store.jobs.create({ input: { file: 'batch.csv' } });
    expect(job).toMatchObject({
      state: 'queued',
      input: { file: 'batch.csv' },
      cursor: null,
      counts: null,
      error: null,
    });
    const running = await store.jobs.update(job.id, {
      state: 'running',
      cursor: { row: 500 },
      counts: { scored: 500 },
    });
    expect(running).toMatchObject({ state: 'running', cursor: { row: 500 }, counts: { scored: 500 } });
    const failed = await store.jobs.update(job.id, { state: 'failed', error: 'disk full' });
    expect(failed).toMatchObject({ state: 'failed', cursor: { row: 500 }, error: 'disk full' });
    await store.jobs.create({ input: {} });
    expect(await store.jobs.list({ limit: 10 })).toHaveLength(2);
    expect((await store.jobs.list({ state: 'failed', limit: 10 })).map((j) => j.id)).toEqual([job.id]);
    expect(await store.jobs.get(job.id)).toEqual(failed);
  });

  it('refuses unknown jobs and states', async () => {
    await expect(store.jobs.update('nope', { state: 'running' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.jobs.create({ input: {}, state: 'paused' as 'queued' })).rejects.toMatchObject({
      field: 'state',
    });
    expect(await store.jobs.get('nope')).toBeNull();
  });
});
