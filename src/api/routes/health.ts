// Liveness, readiness, Prometheus metrics and the OpenAPI document.
import { Router } from 'express';
import type { ModelRegistry } from '../../models';
import type { Store } from '../../store';
import type { ServiceMetrics } from '../metrics';
import { buildOpenApiDocument } from '../openapi';

export function healthRouter(deps: {
  models: ModelRegistry;
  store: Store;
  metrics: ServiceMetrics;
  version: string;
}): Router {
  const router = Router();
  const openapi = buildOpenApiDocument(deps.version);
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const model = deps.models.active();
    await deps.store.models.list(); // a closed or broken database fails here, and readiness with it
    res.json({
      status: 'ready',
      model: model.version,
      provider: model.engine.provider,
      queueDepth: model.engine.queueDepth,
    });
  });
  router.get('/metrics', deps.metrics.handler());
  router.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  return router;
}
