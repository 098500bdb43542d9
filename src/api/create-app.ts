// Builds the Express app from injected dependencies, so tests run it in-process and the CLI runs it for real.
import express, { type Express } from 'express';
import type { InferenceEngine } from '../engine';
import type { Logger } from '../logging';
import type { RiskCalibrator } from '../score';
import { errorHandler } from './error-handler';
import { scoreRouter } from './score-route';

export interface AppDeps {
  engine: InferenceEngine;
  calibrator: RiskCalibrator;
  logger: Logger;
  modelVersion: string;
  /** JSON body limit, e.g. "1mb". */
  bodyLimit?: string;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: deps.bodyLimit ?? '2mb' }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    res.json({ status: 'ready', modelVersion: deps.modelVersion, provider: deps.engine.provider });
  });
  app.use(scoreRouter({ engine: deps.engine, calibrator: deps.calibrator, modelVersion: deps.modelVersion }));
  app.use((req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: `no route for ${req.method} ${req.path}` } });
  });
  app.use(errorHandler(deps.logger));
  return app;
}
