// Builds the Express app from injected dependencies, so tests run it in-process and `serve` runs it for real.
import express, { type Express } from 'express';
import type { AlertService } from '../alerts';
import { rateLimitPerKey, requireApiKey, type ApiAuthOptions, type RateLimitSettings } from '../auth';
import { dashboardRouter } from '../dashboard';
import type { DriftMonitor } from '../drift';
import type { FusionModel } from '../fuse';
import type { JobRunner } from '../jobs';
import type { Logger } from '../logging';
import type { ActiveModelFollower, ModelRegistry } from '../models';
import type { Playbook } from '../playbook';
import type { PrivacyPolicy } from '../privacy';
import type { RetrainJobs } from '../retrain';
import type { ShadowScorer } from '../service';
import type { Store } from '../store';
import { themesForModels, type ThemesService } from '../themes';
import { ScoreAdmission } from './admission';
import { errorHandler } from './error-handler';
import { requestLogging } from './request-logging';
import { securityHeaders } from './security-headers';
import type { ServiceMetrics } from './metrics';
import { alertsRouter } from './routes/alerts';
import { customersRouter } from './routes/customers';
import { dashboardDataRouter } from './routes/dashboard-data';
import { feedbackRouter } from './routes/feedback';
import { healthRouter } from './routes/health';
import { jobsRouter } from './routes/jobs';
import { modelsRouter } from './routes/models';
import { monitoringRouter } from './routes/monitoring';
import { retrainRouter, type RetrainRequest } from './routes/retrain';
import { scoreRouter } from './routes/score';
import { themesRouter } from './routes/themes';

export interface AppDeps {
  models: ModelRegistry;
  /** Follows activations made on other replicas; its state is shown in GET /v1/models. */
  modelSync?: ActiveModelFollower;
  store: Store;
  playbook: Playbook;
  metrics: ServiceMetrics;
  logger: Logger;
  fusion?: FusionModel;
  alerts?: AlertService;
  clock?: () => Date;
  /** JSON body limit, e.g. "2mb". */
  bodyLimit?: string;
  /** Batch jobs (/v1/jobs); absent: those routes are not served. */
  jobs?: { runner: JobRunner; maxUploadBytes: number; inputDirs: readonly string[] };
  /** Themes of dissatisfied texts and probes; default: over this store, with the active model embedding probes. */
  themes?: ThemesService;
  /** Version shown in the OpenAPI document. */
  apiVersion?: string;
  /** Online scoring is refused with 503 while the engine backlog is estimated above this (ms); absent or 0: off. */
  maxQueueWaitMs?: number;
  /** What is stored of scored texts (privacy.storeText); default: redacted. */
  privacy?: PrivacyPolicy;
  /** API keys and scopes (see src/auth); absent: no authentication. */
  auth?: ApiAuthOptions;
  /** Requests per window per API key, or per client IP without one; absent: no rate limit. */
  rateLimit?: RateLimitSettings;
  /** CSV body limit of POST /v1/customers/import, e.g. "20mb". */
  importLimit?: string;
  /** Drift against the active bundle's reference (GET /v1/monitoring/drift); absent: that route is not served. */
  drift?: DriftMonitor;
  /** Shadow scoring of a sampled share of /v1/score texts by an inactive model (config shadow); absent: off. */
  shadow?: ShadowScorer;
  /** Background retraining (POST /v1/models/retrain); absent: those routes are not served. */
  retrain?: RetrainJobs<RetrainRequest>;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogging(deps.logger));
  app.use(securityHeaders());
  app.use(deps.metrics.middleware());
  // Before any body is read or admitted: a caller without the right key cannot make the server parse or queue anything.
  if (deps.auth) app.use(requireApiKey(deps.auth));
  if (deps.rateLimit) app.use(rateLimitPerKey({ ...deps.rateLimit, logger: deps.logger }));
  const admission = new ScoreAdmission({ models: deps.models, maxQueueWaitMs: deps.maxQueueWaitMs ?? 0 });
  deps.metrics.watchAdmission(() => admission.state());
  app.post('/v1/score', admission.middleware());
  app.use(express.json({ limit: deps.bodyLimit ?? '2mb' }));
  app.use(
    healthRouter({
      models: deps.models,
      store: deps.store,
      metrics: deps.metrics,
      version: deps.apiVersion ?? '0.1.0',
    }),
  );
  app.use(
    scoreRouter(
      {
        models: deps.models,
        store: deps.store,
        playbook: deps.playbook,
        fusion: deps.fusion,
        alerts: deps.alerts,
        clock: deps.clock,
        privacy: deps.privacy,
        shadow: deps.shadow,
      },
      { deadlineOf: (req) => admission.deadlineOf(req) },
    ),
  );
  // Before customersRouter: /v1/customers/at-risk must not be read as /v1/customers/:id.
  app.use(dashboardDataRouter({ store: deps.store }));
  app.use(
    customersRouter({ store: deps.store, fusion: deps.fusion, clock: deps.clock, importLimit: deps.importLimit }),
  );
  app.use(feedbackRouter({ store: deps.store, privacy: deps.privacy, alerts: deps.alerts }));
  app.use(alertsRouter({ store: deps.store }));
  // Before modelsRouter: /v1/models/retrain is not a version.
  if (deps.retrain) app.use(retrainRouter({ retrain: deps.retrain }));
  app.use(modelsRouter({ models: deps.models, store: deps.store, sync: deps.modelSync }));
  app.use(
    themesRouter({
      themes:
        deps.themes ??
        themesForModels({ store: deps.store, models: deps.models, logger: deps.logger, clock: deps.clock }),
    }),
  );
  if (deps.drift) app.use(monitoringRouter({ drift: deps.drift }));
  if (deps.jobs) app.use(jobsRouter({ store: deps.store, ...deps.jobs }));
  app.use(dashboardRouter());
  app.use((req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: `no route for ${req.method} ${req.path}` } });
  });
  app.use(errorHandler(deps.logger));
  return app;
}
