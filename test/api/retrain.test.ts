// POST /v1/models/retrain and GET /v1/models/retrain/:id over a scripted run: states, phases, refusals.
import { afterEach, describe, expect, it } from 'vitest';
import type { RetrainRequest } from '../../src/api/routes/retrain';
import { InsufficientDataError } from '../../src/errors';
import { silentLogger } from '../../src/logging';
import { RetrainJobs, type RetrainPhase, type RetrainReport } from '../../src/retrain';
import { call, startTestApp, type TestApp } from './test-app';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const REPORT = { promoted: false, reason: 'scripted' } as RetrainReport;

/** A run that stops in `training` until released, then answers with `outcome`. */
function scripted(outcome: () => RetrainReport) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const seen: RetrainRequest[] = [];
  const jobs = RetrainJobs.create<RetrainRequest>({
    logger: silentLogger(),
    run: async (req, onPhase: (p: RetrainPhase) => void) => {
      seen.push(req);
      onPhase('training');
      await gate;
      return outcome();
    },
  });
  return { jobs, release: () => release(), seen };
}

describe('POST /v1/models/retrain', () => {
  it('starts a background job whose phase and report GET shows, one at a time', async () => {
    const s = scripted(() => REPORT);
    app = await startTestApp({ retrain: await s.jobs });
    const started = await call(app.base, 'POST', '/v1/models/retrain', { promoteIfBetter: true, mode: 'few-shot' });
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({ state: 'running', report: null });
    expect(s.seen).toEqual([{ heldBackFraction: 0.2, promoteIfBetter: true, mode: 'few-shot' }]);
    const url = `/v1/models/retrain/${started.json.id}`;
    expect((await call(app.base, 'GET', url)).json).toMatchObject({ state: 'running', phase: 'training' });
    const again = await call(app.base, 'POST', '/v1/models/retrain', {});
    expect(again.status).toBe(409);
    expect(again.json.error.message).toContain(started.json.id);
    s.release();
    await (await s.jobs).dispose();
    const done = (await call(app.base, 'GET', url)).json;
    expect(done).toMatchObject({ state: 'succeeded', phase: 'done', report: REPORT, error: null });
    expect(done.finishedAt).not.toBeNull();
  });

  it('reports a refused run as failed with its one-line reason, and 404 for an unknown job', async () => {
    const s = scripted(() => {
      throw new InsufficientDataError('too few outcomes with text to retrain: 3 (1 churned, 2 retained)');
    });
    app = await startTestApp({ retrain: await s.jobs });
    const started = await call(app.base, 'POST', '/v1/models/retrain', {});
    s.release();
    await (await s.jobs).dispose();
    expect((await call(app.base, 'GET', `/v1/models/retrain/${started.json.id}`)).json).toMatchObject({
      state: 'failed',
      error: 'too few outcomes with text to retrain: 3 (1 churned, 2 retained)',
    });
    expect((await call(app.base, 'GET', '/v1/models/retrain/nope')).status).toBe(404);
  });

  it('refuses bad requests with 400 naming the field, starting nothing', async () => {
    const s = scripted(() => REPORT);
    app = await startTestApp({ retrain: await s.jobs });
    for (const [body, field] of [
      [{ heldBackFraction: 1.5 }, 'heldBackFraction'],
      [{ mode: 'huge' }, 'mode'],
      [{ since: 'last week' }, 'since'],
      [{ out: '/etc' }, ''],
    ] as const) {
      const r = await call(app.base, 'POST', '/v1/models/retrain', body);
      expect(r.status).toBe(400);
      if (field) expect(r.json.error.field).toBe(field);
    }
    expect(s.seen).toEqual([]);
  });
});
