// Themes of dissatisfied texts (GET /v1/themes) and hypothesis probes (POST /v1/themes/probe), over stored scores.
import { Router } from 'express';
import { themeFiltersQuerySchema, themeProbeSchema, type ThemesService } from '../../themes';
import { parseOr400 } from '../validate';

export function themesRouter(deps: { themes: ThemesService }): Router {
  const router = Router();

  router.get('/v1/themes', async (req, res) => {
    const filters = parseOr400(themeFiltersQuerySchema, req.query, 'query');
    res.json(await deps.themes.themes(filters));
  });

  router.post('/v1/themes/probe', async (req, res) => {
    const body = parseOr400(themeProbeSchema, req.body);
    res.json(await deps.themes.probe(body));
  });
  return router;
}
