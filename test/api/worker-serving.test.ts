// The real model in a worker thread behind the HTTP app: /healthz stays fast while the model is saturated, and a worker crash is a 503.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundleInfo } from '../../src/bundle';
import { engineDefaults } from '../../src/config';
import { InferenceEngine, OnnxSession, WorkerTextModel, type TextModel } from '../../src/engine';
import { silentLogger } from '../../src/logging';
import type { ServingModel } from '../../src/models';
import { RiskCalibrator } from '../../src/score';
import { TextTokenizer } from '../../src/tokenize';
import { reviewTexts } from '../helpers/reviews';
import { call, startTestApp, type TestApp } from './test-app';

const BUNDLE = path.resolve('models/default');
const MODEL_FILE = path.join(BUNDLE, 'onnx/model.onnx');
/**
 * No absolute latency bound here (the suite shares 2 cores with other processes; `npm run bench:overload` reports the
 * figure): the worker's probes are compared with the in-thread probes of the same run. In-thread, a probe waits for
 * whole model batches; with a worker it never does, so even its slow tail stays below the in-thread median.
 */
let workerHealthP95: number | undefined;
async function servingModel(model: TextModel): Promise<ServingModel> {
  const config = engineDefaults({ providers: ['cpu'] });
  const tokenizer = await TextTokenizer.create({
    tokenizerJson: path.join(BUNDLE, 'tokenizer.json'),
    maxLength: config.maxTokens * config.maxWindows,
  });
  const engine = new InferenceEngine({ model, tokenizer, config, logger: silentLogger() });
  const info = readBundleInfo(BUNDLE);
  return { version: info.version, dir: BUNDLE, info, engine, calibrator: new RiskCalibrator(info) };
}

/**
 * Keeps the engine's queue full of long reviews for as long as the probe runs, and measures /healthz one request at a
 * time meanwhile. Returns the probe latencies (sorted) and how many model batches ran, to show the model was busy.
 */
async function healthUnderLoad(
  app: TestApp,
  texts: string[],
  probes: number,
): Promise<{ sorted: number[]; scored: number }> {
  const engine = app.models.active().engine;
  let stop = false;
  let scored = 0;
  const loaders = Array.from({ length: 4 }, async () => {
    while (!stop) scored += (await engine.score(texts)).length;
  });
  await new Promise((r) => setTimeout(r, 300)); // the first batches are running
  const latencies: number[] = [];
  for (let i = 0; i < probes; i++) {
    const t0 = performance.now();
    const r = await call(app.base, 'GET', '/healthz');
    latencies.push(performance.now() - t0);
    expect(r.status).toBe(200);
    await new Promise((r) => setTimeout(r, 10));
  }
  stop = true;
  await Promise.all(loaders);
  return { sorted: latencies.sort((a, b) => a - b), scored };
}

const percentile = (sorted: number[], p: number) => sorted[Math.ceil((p / 100) * sorted.length) - 1];

describe('serving with the model in a worker thread', () => {
  let texts: string[];
  beforeAll(async () => {
    // The longest of the first reviews: full 256-token windows, the heaviest batches the engine runs.
    texts = (await reviewTexts(400)).sort((a, b) => b.length - a.length).slice(0, 32);
  });

  describe('with a worker', () => {
    let app: TestApp;
    let worker: WorkerTextModel;
    beforeAll(async () => {
      worker = await WorkerTextModel.create({
        modelPath: MODEL_FILE,
        providers: ['cpu'],
        threads: 0,
        workers: 1,
        logger: silentLogger(),
      });
      app = await startTestApp({ initialModel: await servingModel(worker) });
    });
    afterAll(() => app?.close());

    it('answers /healthz while the model is saturated', async () => {
      const { sorted, scored } = await healthUnderLoad(app, texts, 100);
      expect(scored).toBeGreaterThan(0);
      workerHealthP95 = percentile(sorted, 95);
    });

    it('answers 503 with Retry-After when the worker dies under a request, and serves again after the restart', async () => {
      const before = worker.restarts;
      // Armed now, fired by the request's own batch: the worker dies with that request in flight.
      await worker.simulateCrash('exit', { when: 'next-run' });
      const refused = await fetch(`${app.base}/v1/score`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: texts[0], explain: false }),
      });
      expect(refused.status).toBe(503);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('service_unavailable');
      expect(worker.restarts).toBe(before + 1);
      // Sent while the replacement may still be opening the model: it waits for it rather than failing.
      const ok = await call(app.base, 'POST', '/v1/score', { text: texts[0], explain: false });
      expect(ok.status).toBe(200);
    });
  });

  // The contrast that shows the probe measures something: in-thread, a batch holds the event loop for its whole run.
  describe('in-thread (engine.workers = 0)', () => {
    let app: TestApp;
    beforeAll(async () => {
      const session = await OnnxSession.create({
        modelPath: MODEL_FILE,
        providers: ['cpu'],
        threads: 0,
        logger: silentLogger(),
      });
      app = await startTestApp({ initialModel: await servingModel(session) });
    });
    afterAll(() => app?.close());

    it("lets /healthz wait behind model batches: its median is above the worker probes' p95", async () => {
      const { sorted } = await healthUnderLoad(app, texts, 20);
      expect(workerHealthP95).toBeDefined();
      expect(percentile(sorted, 50)).toBeGreaterThan(workerHealthP95!);
    });
  });
});
