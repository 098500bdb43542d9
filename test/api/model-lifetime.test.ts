// A hot swap never disposes a model under its holders: a request and a batch job finish on the model they pinned, which is released after them.
import { afterEach, describe, expect, it } from 'vitest';
import type { ServingModel } from '../../src/models';
import { reviewRows, toCsv } from '../jobs/fake-scoring';
import { call, fakeServingModel, startTestApp, type TestApp } from './test-app';

/** Records every engine call on a model and when it was disposed, and how many calls were still running then. */
function watched(model: ServingModel) {
  const log = { calls: 0, running: 0, disposedAfterCalls: -1, runningAtDispose: -1 };
  const score = model.engine.score.bind(model.engine);
  const dispose = model.engine.dispose.bind(model.engine);
  model.engine.score = async (...args) => {
    log.calls++;
    log.running++;
    try {
      return await score(...args);
    } finally {
      log.running--;
    }
  };
  model.engine.dispose = async () => {
    log.disposedAfterCalls = log.calls;
    log.runningAtDispose = log.running;
    await dispose();
  };
  return log;
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never happened: ${what}`);
}

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('a hot swap during a request', () => {
  it('lets the request finish on the old model (drivers included); the old one is disposed only after it', async () => {
    const v1 = fakeServingModel('v1', { delayMs: 60 });
    const log = watched(v1);
    app = await startTestApp({ initialModel: v1, extraModels: ['v2'] });
    // Default request: risk, then phrase drivers (a second engine call), then the store write.
    const pending = call(app.base, 'POST', '/v1/score', {
      text: 'I will cancel. Support never answers. The bill is wrong.',
    });
    await until(() => log.calls >= 1, 'the request reached the engine');
    const swapped = await call(app.base, 'POST', '/v1/models/v2/activate');
    expect(swapped.status).toBe(200);
    expect(swapped.json.active).toBe('v2');
    expect(log.disposedAfterCalls).toBe(-1); // still held by the request
    const held = (await call(app.base, 'GET', '/v1/models')).json.models.find((m: any) => m.version === 'v1');
    expect(held.loaded.holders).toBe(1);

    const reply = await pending;
    expect(reply.status).toBe(200);
    expect(reply.json.modelVersion).toBe('v1');
    expect(reply.json.drivers.phrases.length).toBeGreaterThan(0);
    await until(() => log.disposedAfterCalls >= 0, 'v1 was disposed');
    expect(log.runningAtDispose).toBe(0);
    expect(log.disposedAfterCalls).toBe(log.calls); // nothing ran on v1 after its disposal
    expect(log.calls).toBeGreaterThanOrEqual(2);

    expect((await call(app.base, 'POST', '/v1/score', { text: 'hello again' })).json.modelVersion).toBe('v2');
    const after = (await call(app.base, 'GET', '/v1/models')).json.models.find((m: any) => m.version === 'v1');
    expect(after.loaded).toBeUndefined();
  });
});

describe('a hot swap during a batch job', () => {
  it('lets the job finish on the model it pinned with every row scored, then releases that model', async () => {
    const v1 = fakeServingModel('v1', { delayMs: 40 });
    const log = watched(v1);
    app = await startTestApp({ initialModel: v1, extraModels: ['v2'], jobChunkSize: 4 });
    const rows = reviewRows(120);
    const res = await fetch(`${app.base}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: toCsv(rows),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const status = async () => (await call(app!.base, 'GET', `/v1/jobs/${id}`)).json;
    await until(async () => (await status()).rowsDone >= 8, 'the job scored some rows');

    expect((await call(app.base, 'POST', '/v1/models/v2/activate')).json.active).toBe('v2');
    expect((await status()).state).toBe('running');
    expect(log.disposedAfterCalls).toBe(-1); // the running job holds v1

    await until(async () => !['queued', 'running'].includes((await status()).state), 'the job finished');
    expect(await status()).toMatchObject({
      state: 'succeeded',
      rowsDone: 120,
      scored: 120,
      errors: 0,
      modelVersion: 'v1',
    });
    await until(() => log.disposedAfterCalls >= 0, 'v1 was disposed');
    expect(log.runningAtDispose).toBe(0);
    expect(log.disposedAfterCalls).toBe(log.calls);
  });
});
