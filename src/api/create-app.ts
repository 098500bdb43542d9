// Builds the Express app from injected dependencies, so tests run it in-process and `serve` runs it for real.
import express, { type Express } from 'express';
import type { AlertService } from '../alerts';
import type { FusionModel } from '../fuse';
import type { Logger } from '../logging';
import type { ModelRegistry } from '../models';
import type { Playbook } from '../playbook';
import type { Store } from '../store';
import { errorHandler } from './error-handler';
import type { ServiceMetrics } from './metrics';
import { alertsRouter } from './routes/alerts';
import { customersRouter } from './routes/customers';
import { feedbackRouter } from './routes/feedback';
import { healthRouter } from './routes/health';
import { modelsRouter } from './routes/models';
import { scoreRouter } from './routes/score';

export interface AppDeps {
  models: ModelRegistry;
  store: Store;
  playbook: Playbook;
  metrics: ServiceMetrics;
  logger: Logger;
  fusion?: FusionModel;
  alerts?: AlertService;
  clock?: () => Date;
  /** JSON body limit, e.g. "2mb". */
  bodyLimit?: string;
  /** Version shown in the OpenAPI document. */
  apiVersion?: string;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(deps.metrics.middleware());
  app.use(express.json({ limit: deps.bodyLimit ?? '2mb' }));
  app.use(healthRouter({ models: deps.models, store: deps.store, metrics: deps.metrics, version: deps.apiVersion ?? '0.1.0' }));
  app.use(scoreRouter({ models: deps.models, store: deps.store, playbook: deps.playbook, fusion: deps.fusion, alerts: deps.alerts, clock: deps.clock }));
  app.use(customersRouter({ store: deps.store, fusion: deps.fusion, clock: deps.clock }));
  app.use(feedbackRouter({ store: deps.store }));
  app.use(alertsRouter({ store: deps.store }));
  app.use(modelsRouter({ models: deps.models, store: deps.store }));
  app.use((req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: `no route for ${req.method} ${req.path}` } });
  });
  app.use(errorHandler(deps.logger));
  return app;
}
