// `churnscope serve`: opens store, model, fusion and playbook; serves the API until SIGINT/SIGTERM, then drains and exits.
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import type { Express } from 'express';
import { AlertService, WebhookSender } from '../alerts';
import { resolveAuthPolicy } from '../auth';
import { createApp, type AppDeps } from '../api';
import { answerClientErrorsWithJson } from '../api/client-errors';
import { exitOnSignals, GracefulShutdown, type Drainer } from '../api/graceful-shutdown';
import { ServiceMetrics } from '../api/metrics';
import { DEFAULT_PLAYBOOK, loadConfig, logFormat, type Config } from '../config';
import { DriftMonitor } from '../drift';
import { FUSION_FILE, FusionModel } from '../fuse';
import { JobRunner, QueuedJobs } from '../jobs';
import { ConfigError } from '../errors';
import { createLogger, type Logger } from '../logging';
import { ActiveModelFollower, discoverModels, ModelRegistry, openServingModel } from '../models';
import { Playbook } from '../playbook';
import { RetentionJob, type RetentionJobOptions } from '../privacy';
import { ShadowScorer } from '../service';
import { openStoreAt, type OpenedStore, type Store } from '../store';
import { learningActiveModel, registerModels, resolveShadowDir, startingModelDir } from './serve-models';
import { serveRetrainJobs } from './serve-retrain';

export interface ServeFlags {
  /** auto | fp32 | int8, validated by loadConfig. */
  precision?: string;
  port?: number;
  host?: string;
  db?: string;
  model?: string;
  modelsDir?: string;
  fusion?: string;
  playbook?: string;
  threads?: number;
  workers?: number;
  jobsDir?: string;
  leaseSeconds?: number;
  auth?: string;
  insecureNoAuth?: boolean;
  rateLimit?: number;
  rateLimitWindow?: number;
  storeText?: string;
  retentionDays?: number;
  shadowModel?: string;
  shadowSampleRate?: number;
}

export async function serveCommand(flags: ServeFlags): Promise<void> {
  const config = loadConfig({ env: process.env, flags });
  const logger = createLogger({ level: config.logLevel, format: logFormat(process.env) });
  const opened = await openStoreAt({ db: config.dbPath, logger });
  const { store } = opened;
  // Before the model loads: a server that must not start (non-loopback without auth) is refused at once.
  const access = await accessDeps(config, opened, logger).catch(async (e: unknown) => {
    await store.dispose();
    throw e;
  });
  let registry: ModelRegistry | undefined;
  let drift: DriftMonitor | undefined;
  const metrics = new ServiceMetrics({
    driftPsi: async () => (await drift?.latest())?.signals ?? [],
    queueDepth: () => registry?.active().engine.queueDepth ?? 0,
    activeModel: () => registry?.active().version ?? 'none',
    loadedModels: () => registry?.loaded() ?? [],
  });
  const open = (dir: string) =>
    openServingModel({ dir, engine: config.engine, logger, onBatch: (s) => metrics.observeBatch(s) });
  const discovered = discoverModels(config.modelsDir ?? path.dirname(config.modelDir), logger);
  const startDir = await startingModelDir(config, opened, discovered, logger);
  const initial = await open(startDir);
  const known = await registerModels(opened, [{ version: initial.version, dir: initial.dir }, ...discovered], initial);
  registry = new ModelRegistry({ initial, open, known: () => known, logger });
  // From now on the store says which model serves: activations made on other replicas (or processes on the same
  // SQLite file) are followed, and one this replica cannot serve is refused out loud.
  const modelSync = await ActiveModelFollower.start({
    registry,
    models: learningActiveModel(store.models, known),
    changes: store.changes,
    pollMs: config.server.modelSyncIntervalMs,
    logger,
  });
  const shadow =
    config.shadow.model !== undefined && config.shadow.sampleRate > 0
      ? await ShadowScorer.create({
          model: { dir: resolveShadowDir(config.shadow.model, known), engine: config.engine },
          sampleRate: config.shadow.sampleRate,
          store,
          logger,
        })
      : undefined;
  if (shadow) logger.info({ shadow: shadow.version, sampleRate: config.shadow.sampleRate }, 'shadow scoring on');
  const retrain = await serveRetrainJobs({ config, store, registry, known, logger });
  const fusion = loadFusion(config, logger);
  const playbook = await Playbook.fromFile(config.playbookPath ?? DEFAULT_PLAYBOOK);
  const alerts = new AlertService({ store, sender: new WebhookSender(), logger });
  drift = await DriftMonitor.create({
    store,
    models: registry,
    settings: config.monitoring.drift,
    logger,
    onReport: (report) => alerts.onDrift(report),
    background: true,
  });
  const active = registry;
  // Created before listening: jobs a previous process left unfinished resume from their checkpoints.
  const runner = await JobRunner.create({
    store,
    acquireModel: () => active.acquire(),
    jobsDir: config.jobs.dir,
    chunkSize: config.jobs.chunkSize,
    logger,
    privacy: config.privacy,
    fusion,
    sharedStore: opened.kind === 'postgres',
  });
  // PostgreSQL: jobs go to the database in chunks for `churnscope worker` processes (see README, several machines).
  const jobQueue = store.openJobQueue
    ? await store.openJobQueue({ leaseSeconds: config.jobs.leaseSeconds })
    : undefined;
  const queued = jobQueue
    ? new QueuedJobs({ store, queue: jobQueue, chunkSize: config.jobs.chunkSize, logger })
    : undefined;
  const jobs = { runner, maxUploadBytes: config.jobs.maxUploadBytes, inputDirs: config.jobs.inputDirs, queued };
  const retention = await startRetention(config, store, logger, {
    jobs: (cutoff) => runner.purgeFinishedBefore(cutoff),
  });
  const app = createApp({
    models: registry,
    modelSync,
    store,
    playbook,
    metrics,
    logger,
    fusion,
    alerts,
    maxQueueWaitMs: config.server.maxQueueWaitMs,
    jobs,
    privacy: config.privacy,
    drift,
    shadow,
    retrain,
    ...access,
  });
  const server = await listen(app, config);
  logger.info(
    {
      host: config.server.host,
      port: config.server.port,
      model: initial.version,
      precision: initial.engine.precision,
      modelFile: initial.engine.modelFile,
      fusion: Boolean(fusion),
    },
    `churnscope listening on http://${config.server.host}:${config.server.port}`,
  );
  const models = registry;
  const driftMonitor = drift;
  // Shutdown order: HTTP first (no new work, in-flight requests finish), then each drainer in turn. Later owners of
  // background work add one line here, before the store closes, e.g. { name: 'jobs', drain: () => jobs.stop() }.
  const drainers: Drainer[] = [
    { name: 'jobs', drain: () => runner.stop() },
    { name: 'job queue', drain: async () => jobQueue?.dispose() },
    { name: 'retention', drain: async () => retention?.dispose() },
    { name: 'drift', drain: () => driftMonitor.dispose() },
    { name: 'retrain', drain: () => retrain.dispose() },
    { name: 'shadow', drain: async () => shadow?.dispose() },
    { name: 'alerts', drain: () => alerts.drain() },
    { name: 'model sync', drain: () => modelSync.stop() },
    { name: 'models', drain: () => models.dispose() },
    { name: 'store', drain: () => store.dispose() },
  ];
  const shutdown = GracefulShutdown.attach({ server, timeoutMs: config.server.shutdownTimeoutMs, drainers, logger });
  exitOnSignals({ shutdown: () => shutdown.shutdown(), logger, exit: (code) => process.exit(code) });
}

/** Resolves once listening; a port in use or an address that cannot be bound refuses start-up with a clear message. */
function listen(app: Express, config: Config): Promise<Server> {
  const { host, port } = config.server;
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    answerClientErrorsWithJson(server);
    server.keepAliveTimeout = config.server.keepAliveTimeoutMs;
    // Node requires the headers timeout to outlast the keep-alive one, or idle sockets die as header timeouts.
    server.headersTimeout = Math.max(server.headersTimeout, config.server.keepAliveTimeoutMs + 1000);
    server.once('listening', () => resolve(server));
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        new ConfigError(`cannot listen on ${host}:${port}: ${e.code ?? e.message}`, {
          field: e.code === 'EADDRINUSE' ? 'port' : 'host',
          cause: e,
        }),
      );
    });
  });
}

/** Authentication, rate limit and body limits for createApp, from the config and whether any API key exists. */
async function accessDeps(
  config: Config,
  { store, kind }: OpenedStore,
  logger: Logger,
): Promise<Pick<AppDeps, 'auth' | 'rateLimit' | 'bodyLimit' | 'importLimit'>> {
  const { auth, limits } = config;
  const policy = resolveAuthPolicy({
    host: config.server.host,
    mode: auth.mode,
    insecureNoAuth: auth.insecureNoAuth,
    anyKeys: await store.apiKeys.any(),
  });
  if (policy.warning) logger.warn(policy.warning);
  logger.info(
    { enforcement: policy.enforcement, rateLimit: auth.rateLimit, publicMetrics: auth.publicMetrics },
    'authentication',
  );
  const keys =
    policy.enforcement === 'never'
      ? undefined
      : { keys: store.apiKeys, enforcement: policy.enforcement, publicMetrics: auth.publicMetrics };
  return {
    auth: keys,
    // Installed whenever keys are checked, since a key may carry its own limit even when the default is none.
    // On PostgreSQL the counters live in the database, so that replicas behind one balancer share each key's limit.
    rateLimit:
      keys || auth.rateLimit.requests > 0
        ? { ...auth.rateLimit, shared: kind === 'postgres' ? store.rateLimits : undefined }
        : undefined,
    bodyLimit: `${limits.jsonBodyBytes}b`,
    importLimit: `${limits.importBytes}b`,
  };
}

/** privacy.retentionDays set: old texts are purged now and every retentionIntervalMinutes while serving. */
async function startRetention(
  config: Config,
  store: Store,
  logger: Logger,
  alsoPurge: RetentionJobOptions['alsoPurge'],
): Promise<RetentionJob | undefined> {
  const days = config.privacy.retentionDays;
  if (days === undefined) return undefined;
  return RetentionJob.create({
    store,
    retentionDays: days,
    intervalMs: config.privacy.retentionIntervalMinutes * 60_000,
    logger,
    alsoPurge,
  });
}

export function loadFusion(config: Config, logger: Logger): FusionModel | undefined {
  const file = config.fusionPath ?? path.join(config.modelDir, FUSION_FILE);
  if (!config.fusionPath && !fs.existsSync(file)) {
    logger.info('no fusion model: risks are text-only until `churnscope train-fusion` writes one');
    return undefined;
  }
  return FusionModel.load(file);
}
