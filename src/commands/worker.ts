// `churnscope worker`: scores queued batch-job chunks from PostgreSQL with its own engine until SIGINT/SIGTERM.
import path from 'node:path';
import { exitOnSignals } from '../api/graceful-shutdown';
import { loadConfig, logFormat } from '../config';
import { ConfigError } from '../errors';
import { ChunkWorker, QueuedJobs, UploadSweeper } from '../jobs';
import { createLogger } from '../logging';
import { ActiveModelFollower, discoverModels, ModelRegistry, openServingModel } from '../models';
import { openStoreAt, parseDbLocation } from '../store';
import { loadFusion } from './serve';
import { startingModelDir } from './serve-models';

export interface WorkerFlags {
  db?: string;
  model?: string;
  modelsDir?: string;
  fusion?: string;
  threads?: number;
  workers?: number;
  precision?: string;
  concurrency?: number;
  storeText?: string;
}

export async function workerCommand(flags: WorkerFlags): Promise<void> {
  const { concurrency, ...configFlags } = flags;
  const config = loadConfig({ env: process.env, flags: configFlags });
  if (parseDbLocation(config.dbPath).kind !== 'postgres')
    throw new ConfigError(
      `--db (CHURNSCOPE_DB) must be a postgresql:// URL for churnscope worker, got a SQLite path (${config.dbPath}); ` +
        'with SQLite, jobs run inside `churnscope serve`',
      { field: 'db' },
    );
  const logger = createLogger({ level: config.logLevel, format: logFormat(process.env) });
  const opened = await openStoreAt({ db: config.dbPath, logger });
  const { store } = opened;
  const cleanup: Array<() => Promise<unknown>> = [() => store.dispose()];
  const close = async () => {
    for (const step of cleanup)
      await step().catch((err: unknown) => logger.warn({ err }, 'worker shutdown step failed'));
  };
  try {
    // The lease is a property of each message, set by the replica that enqueued it (serve --lease-seconds).
    const queue = await store.openJobQueue!({ leaseSeconds: config.jobs.leaseSeconds });
    cleanup.unshift(() => queue.dispose());
    // The replicas' shared active model when this machine has its bundle, exactly as `serve` picks it.
    const discovered = discoverModels(config.modelsDir ?? path.dirname(config.modelDir), logger);
    const dir = await startingModelDir(config, opened, discovered, logger);
    const open = (bundle: string) => openServingModel({ dir: bundle, engine: config.engine, logger });
    const initial = await open(dir);
    const registry = new ModelRegistry({ initial, open, known: () => discovered, logger });
    cleanup.unshift(() => registry.dispose());
    // Activations made on any replica apply to this worker's next chunk, as to the replicas' next request.
    const follower = await ActiveModelFollower.start({
      registry,
      models: store.models,
      changes: store.changes,
      pollMs: config.server.modelSyncIntervalMs,
      logger,
    });
    cleanup.unshift(() => follower.stop());
    const worker = await ChunkWorker.create({
      store,
      queue,
      acquireModel: () => registry.acquire(),
      fusion: loadFusion(config, logger),
      privacy: config.privacy,
      logger,
      concurrency,
    });
    cleanup.unshift(() => worker.stop());
    const sweeper = await UploadSweeper.create({ jobs: new QueuedJobs({ store, queue, logger }), logger });
    cleanup.unshift(() => sweeper.dispose());
    logger.info(
      { model: initial.version, precision: initial.engine.precision },
      'churnscope worker taking queued job chunks',
    );
  } catch (e) {
    await close();
    throw e;
  }
  exitOnSignals({
    shutdown: async () => {
      await close();
    },
    logger,
    exit: (code) => process.exit(code),
  });
}
