// Model versions: what is known, which serves, and hot-swapping the active one.
import { Router } from 'express';
import type { ModelRegistry } from '../../models';
import type { Store } from '../../store';

export function modelsRouter(deps: { models: ModelRegistry; store: Store }): Router {
  const router = Router();
  router.get('/v1/models', (_req, res) => {
    res.json({ active: deps.models.active().version, models: deps.models.list() });
  });
  router.post('/v1/models/:version/activate', async (req, res) => {
    // The registry opens and checks the new bundle before switching; on failure the old model keeps serving.
    const model = await deps.models.activate(req.params.version);
    if (await deps.store.models.get(model.version)) await deps.store.models.activate(model.version);
    res.json({ active: model.version, dir: model.dir });
  });
  return router;
}
