// Builds the real app over a fake text model and an in-memory store: the HTTP surface without weights.
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { AlertService, WebhookSender } from '../../src/alerts';
import { createApp } from '../../src/api';
import { answerClientErrorsWithJson } from '../../src/api/client-errors';
import { ServiceMetrics } from '../../src/api/metrics';
import type { ApiAuthOptions, RateLimitSettings } from '../../src/auth';
import type { DriftReference } from '../../src/bundle';
import { DEFAULT_PLAYBOOK, driftConfigSchema, engineDefaults, type DriftConfig } from '../../src/config';
import { DriftMonitor } from '../../src/drift';
import { FakeTextModel, InferenceEngine, type EngineTokenizer, type InferenceEngineOptions } from '../../src/engine';
import type { FusionModel } from '../../src/fuse';
import { JobRunner, QueuedJobs } from '../../src/jobs';
import { silentLogger } from '../../src/logging';
import { ActiveModelFollower, ModelRegistry, type ServingModel } from '../../src/models';
import { Playbook } from '../../src/playbook';
import { RiskCalibrator } from '../../src/score';
import type { RetrainRequest } from '../../src/api/routes/retrain';
import type { RetrainJobs } from '../../src/retrain';
import type { ShadowScorer } from '../../src/service';
import { SqliteStore, type JobQueue, type Store } from '../../src/store';

/** Words map to ids; "cancel", "refund", "never" and "bill" are the fake model's risky tokens. */
const RISKY: Record<string, number> = { cancel: 1, cancelling: 1, refund: 2, never: 3, bill: 4 };
export const fakeTokenizer: EngineTokenizer = {
  async encodeBatch(texts) {
    return texts.map((t) => ({
      ids: Int32Array.from(
        t
          .toLowerCase()
          .split(/[^a-z]+/)
          .filter(Boolean)
          .map((w) => RISKY[w] ?? 10 + (w.length % 50)),
      ),
    }));
  },
};

export interface FakeServingModelOptions {
  delayMs?: number;
  dir?: string;
  /** What the engine reports as its precision and file (default fp32, "none"). */
  loaded?: InferenceEngineOptions['loaded'];
  /** The bundle's drift reference (default: none, as for bundles made before drift-reference.json). */
  driftReference?: DriftReference;
  /** Token ids the fake model finds risky (default: those of cancel, refund, never, bill). */
  riskyIds?: number[];
}

/** Fake ids are 10 + word length mod 50: words of 10 letters or more count as rare. */
export const FAKE_RARE_FROM_ID = 20;

export function fakeServingModel(version: string, opts: FakeServingModelOptions = {}): ServingModel {
  const engine = new InferenceEngine({
    model: new FakeTextModel({ riskyIds: opts.riskyIds ?? Object.values(RISKY), delayMs: opts.delayMs }),
    tokenizer: fakeTokenizer,
    config: engineDefaults({ maxTextBytes: 2000, maxWaitMs: 1 }),
    logger: silentLogger(),
    loaded: opts.loaded,
    isRareToken: (id) => id >= FAKE_RARE_FROM_ID,
  });
  const info = { version, encoder: 'fake', maxTokens: 256, bands: { medium: 0.3, high: 0.6, critical: 0.85 } };
  const calibrator = new RiskCalibrator(info);
  const dir = opts.dir ?? `/models/${version}`;
  return { version, dir, info, engine, calibrator, driftReference: opts.driftReference };
}

export interface TestApp {
  base: string;
  store: Store;
  models: ModelRegistry;
  modelSync?: ActiveModelFollower;
  alerts: AlertService;
  runner: JobRunner;
  jobsDir: string;
  app: Express;
  drift: DriftMonitor;
  shadow?: ShadowScorer;
  close(): Promise<void>;
}

export interface TestAppOptions {
  fusion?: FusionModel;
  fetch?: typeof fetch;
  extraModels?: string[];
  /** Batch jobs: upload limit (default 64 KiB), rows per chunk (default 16), allowed server-side folders (default none). */
  maxUploadBytes?: number;
  jobChunkSize?: number;
  jobInputDirs?: string[];
  /** API keys are checked against the app's own store (store.apiKeys); absent: no authentication. */
  auth?: Omit<ApiAuthOptions, 'keys'>;
  rateLimit?: RateLimitSettings;
  /** Models instead of the default fakes: the initial one and what `open(dir)` returns. */
  initialModel?: ServingModel;
  openModel?: (dir: string) => Promise<ServingModel>;
  /** The store to serve from (closed with the app); default a fresh in-memory SQLite one. */
  store?: Store;
  /** Follow the store's active model (as serve does), polling every pollMs (0: pushed changes only). */
  followModels?: { pollMs: number };
  /** monitoring.drift settings (default: the config's defaults). */
  drift?: Partial<DriftConfig>;
  /** Shadow scoring over the app's store (closed with the app). */
  shadow?: (store: Store) => Promise<ShadowScorer>;
  /** Background retraining behind POST /v1/models/retrain. */
  retrain?: RetrainJobs<RetrainRequest>;
  /** PostgreSQL: jobs are queued here (in chunks of jobChunkSize) instead of run in-process; the caller disposes it. */
  jobQueue?: JobQueue;
}

export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const logger = silentLogger();
  const store: Store = opts.store ?? (await SqliteStore.create({ path: ':memory:', logger }));
  const models = new ModelRegistry({
    initial: opts.initialModel ?? fakeServingModel('v1'),
    open:
      opts.openModel ??
      (async (dir) => {
        if (dir.includes('broken')) throw new Error(`cannot open ${dir}`);
        return fakeServingModel(dir.split('/').pop()!);
      }),
    known: () => (opts.extraModels ?? []).map((v) => ({ version: v, dir: `/models/${v}` })),
    logger,
  });
  const modelSync = opts.followModels
    ? await ActiveModelFollower.start({
        registry: models,
        models: store.models,
        changes: store.changes,
        pollMs: opts.followModels.pollMs,
        logger,
      })
    : undefined;
  let drift: DriftMonitor | undefined;
  const metrics = new ServiceMetrics({
    driftPsi: async () => (await drift?.latest())?.signals ?? [],
    queueDepth: () => models.active().engine.queueDepth,
    activeModel: () => models.active().version,
    loadedModels: () => models.loaded(),
  });
  const alerts = new AlertService({
    store,
    sender: new WebhookSender({ fetch: opts.fetch, backoffMs: 1, maxAttempts: 2 }),
    logger,
  });
  drift = await DriftMonitor.create({
    store,
    models,
    settings: driftConfigSchema.parse(opts.drift ?? {}),
    logger,
    onReport: (report) => alerts.onDrift(report),
  });
  const playbook = await Playbook.fromFile(DEFAULT_PLAYBOOK);
  const jobsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'churnscope-jobs-'));
  const runner = await JobRunner.create({
    store,
    acquireModel: () => models.acquire(),
    jobsDir,
    chunkSize: opts.jobChunkSize ?? 16,
    logger,
  });
  const queued =
    opts.jobQueue && new QueuedJobs({ store, queue: opts.jobQueue, chunkSize: opts.jobChunkSize ?? 16, logger });
  const jobs = {
    runner,
    maxUploadBytes: opts.maxUploadBytes ?? 64 * 1024,
    inputDirs: opts.jobInputDirs ?? [],
    queued,
  };
  const shadow = await opts.shadow?.(store);
  const app = createApp({
    models,
    modelSync,
    store,
    playbook,
    metrics,
    logger,
    fusion: opts.fusion,
    alerts,
    bodyLimit: '20kb',
    jobs,
    auth: opts.auth && { ...opts.auth, keys: store.apiKeys },
    rateLimit: opts.rateLimit,
    drift,
    shadow,
    retrain: opts.retrain,
  });
  const server: Server = app.listen(0, '127.0.0.1');
  answerClientErrorsWithJson(server);
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    store,
    models,
    modelSync,
    alerts,
    runner,
    jobsDir,
    app,
    drift,
    shadow,
    async close() {
      await new Promise((r) => server.close(r));
      await modelSync?.stop();
      await drift?.dispose();
      await runner.stop();
      await shadow?.dispose();
      await alerts.drain();
      await models.dispose();
      await store.dispose();
      fs.rmSync(jobsDir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  json: any;
  text: string;
}

export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<Reply> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': contentType },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}
