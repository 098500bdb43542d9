// `churnscope serve`: opens store, model, fusion and playbook; serves the API until SIGINT/SIGTERM, then drains and exits.
import fs from 'node:fs';
import path from 'node:path';
import { AlertService, WebhookSender } from '../alerts';
import { createApp } from '../api';
import { ServiceMetrics } from '../api/metrics';
import { DEFAULT_PLAYBOOK, loadConfig, type Config } from '../config';
import { FUSION_FILE, FusionModel } from '../fuse';
import { createLogger, type Logger } from '../logging';
import { discoverModels, ModelRegistry, openServingModel, type ServingModel } from '../models';
import { Playbook } from '../playbook';
import { SqliteStore, type Store } from '../store';

export interface ServeFlags {
  port?: number;
  host?: string;
  db?: string;
  model?: string;
  modelsDir?: string;
  fusion?: string;
  playbook?: string;
  threads?: number;
}

export async function serveCommand(flags: ServeFlags): Promise<void> {
  const config = loadConfig({ env: process.env, flags });
  const logger = createLogger({ level: config.logLevel });
  const store = await SqliteStore.create({ path: config.dbPath, logger });
  let registry: ModelRegistry | undefined;
  const metrics = new ServiceMetrics({ queueDepth: () => registry?.active().engine.queueDepth ?? 0, activeModel: () => registry?.active().version ?? 'none' });
  const open = (dir: string) => openServingModel({ dir, engine: config.engine, logger, onBatch: (s) => metrics.observeBatch(s) });
  const initial = await open(config.modelDir);
  const known = await registerModels(store, config, initial, logger);
  registry = new ModelRegistry({ initial, open, known: () => known, logger });
  const fusion = loadFusion(config, logger);
  const playbook = await Playbook.fromFile(config.playbookPath ?? DEFAULT_PLAYBOOK);
  const alerts = new AlertService({ store, sender: new WebhookSender(), logger });
  const app = createApp({ models: registry, store, playbook, metrics, logger, fusion, alerts });
  const server = app.listen(config.server.port, config.server.host, () => {
    logger.info({ host: config.server.host, port: config.server.port, model: initial.version, fusion: Boolean(fusion) }, `churnscope listening on http://${config.server.host}:${config.server.port}`);
  });
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    server.close(() => {
      void (async () => {
        await alerts.drain();
        await registry?.dispose();
        await store.dispose();
        process.exit(0);
      })();
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/** Every bundle beside the served one becomes activatable; all are recorded in the models table. */
async function registerModels(store: Store, config: Config, initial: ServingModel, logger: Logger) {
  const known = [{ version: initial.version, dir: initial.dir }, ...discoverModels(config.modelsDir ?? path.dirname(config.modelDir), logger)];
  const unique = [...new Map(known.map((m) => [m.version, m])).values()];
  for (const m of unique) {
    if (!(await store.models.get(m.version))) await store.models.register({ version: m.version, path: m.dir, metrics: null });
  }
  await store.models.activate(initial.version);
  return unique;
}

function loadFusion(config: Config, logger: Logger): FusionModel | undefined {
  const file = config.fusionPath ?? path.join(config.modelDir, FUSION_FILE);
  if (!config.fusionPath && !fs.existsSync(file)) {
    logger.info('no fusion model: risks are text-only until `churnscope train-fusion` writes one');
    return undefined;
  }
  return FusionModel.load(file);
}
