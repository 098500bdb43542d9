// `churnscope serve`: opens the model, builds the app and serves it until SIGINT/SIGTERM, then drains and exits.
import { createApp } from '../api';
import { loadConfig } from '../config';
import { createEngine } from '../engine';
import { createLogger } from '../logging';
import { readBundleInfo } from '../bundle';
import { RiskCalibrator } from '../score';

export interface ServeFlags {
  port?: number;
  host?: string;
  db?: string;
  model?: string;
  threads?: number;
}

export async function serveCommand(flags: ServeFlags): Promise<void> {
  const config = loadConfig({ env: process.env, flags });
  const logger = createLogger({ level: config.logLevel });
  const info = readBundleInfo(config.modelDir);
  const engine = await createEngine({ bundleDir: config.modelDir, config: config.engine, logger });
  const app = createApp({ engine, calibrator: new RiskCalibrator(info), logger, modelVersion: info.version });
  const server = app.listen(config.server.port, config.server.host, () => {
    logger.info({ host: config.server.host, port: config.server.port, model: info.version }, `churnscope listening on http://${config.server.host}:${config.server.port}`);
  });
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    server.close(() => {
      void engine.dispose().then(() => process.exit(0));
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
