// Model versions: what is known, which serves, and hot-swapping the active one.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Router } from 'express';
import { BUNDLE_FILES } from '../../bundle';
import { ModelLoadError, NotFoundError } from '../../errors';
import type { ActiveModelFollower, ModelRegistry, ServingModel } from '../../models';
import type { Store } from '../../store';

export function modelsRouter(deps: { models: ModelRegistry; store: Store; sync?: ActiveModelFollower }): Router {
  const router = Router();
  router.get('/v1/models', (_req, res) => {
    // An open model (the active one, or one still held by work) carries `loaded`: its provider, precision and file.
    // `sync.mismatch`: the store names a version this replica could not switch to; it says why, out loud.
    const sync = deps.sync ? { sync: deps.sync.status() } : {};
    res.json({ active: deps.models.active().version, models: deps.models.list(), ...sync });
  });
  router.post('/v1/models/:version/activate', async (req, res) => {
    // The registry opens and checks the new bundle before switching; on failure the old model keeps serving.
    const model = await deps.models.activate(req.params.version);
    if (await deps.store.models.get(model.version)) await deps.store.models.activate(model.version);
    res.json({ active: model.version, dir: model.dir, ...servingOf(model) });
  });
  router.get('/v1/models/active/card', async (_req, res) => {
    const model = deps.models.active();
    const card = (await readModelCard(model)) as Record<string, unknown>;
    // The card describes the bundle as trained; `serving` says how this server runs it.
    res.json({ ...card, serving: { version: model.version, ...servingOf(model) } });
  });
  return router;
}

const MODEL_CARD_FILE = BUNDLE_FILES.modelCard;

function servingOf(model: ServingModel): { provider: string; precision: string; modelFile: string } {
  return { provider: model.engine.provider, precision: model.engine.precision, modelFile: model.engine.modelFile };
}

/** Read per request, so a hot swap shows the new model's card at once. */
async function readModelCard(model: { version: string; dir: string }): Promise<unknown> {
  const file = path.join(model.dir, MODEL_CARD_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NotFoundError(
        `the active model "${model.version}" has no ${MODEL_CARD_FILE} in its bundle (${model.dir}); bundles written by \`churnscope train\` have one`,
        { cause: e },
      );
    }
    throw new ModelLoadError(`cannot read ${file}: ${(e as Error).message}`, { file, cause: e });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ModelLoadError(`${file} is not valid JSON: ${(e as Error).message}`, { file, cause: e });
  }
}
