// POST /v1/score: one text or up to 256 items in; calibrated, fused risk with drivers and recommended actions out.
import { Router, type Request } from 'express';
import { isChurnscopeError, ValidationError } from '../../errors';
import { CoalescedWrites, scoreTexts, type ScoreTextsDeps } from '../../service';
import { scoreBatchSchema, scoreItemSchema } from '../schemas';
import { parseOr400 } from '../validate';

export interface ScoreRouterOptions {
  /** The deadline admission control gave the request (performance.now ms), passed on to the engine. */
  deadlineOf?: (req: Request) => number | undefined;
}

export function scoreRouter(deps: ScoreTextsDeps, opts: ScoreRouterOptions = {}): Router {
  const router = Router();
  // One per router: the requests this app serves share commits, no state outside it.
  const withWrites: ScoreTextsDeps = { ...deps, writes: deps.writes ?? new CoalescedWrites({ store: deps.store }) };
  router.post('/v1/score', async (req, res) => {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ValidationError('request body must be a JSON object with "text" or "items"', { field: 'body' });
    }
    const batch = 'items' in body;
    const items = batch ? parseOr400(scoreBatchSchema, body).items : [parseOr400(scoreItemSchema, body)];
    const deadline = opts.deadlineOf?.(req);
    const results = await scoreTexts(withWrites, items, { batch, deadline }).catch((e: unknown) => {
      throw batch ? withItemField(e) : e;
    });
    res.json(batch ? { items: results } : results[0]);
  });
  return router;
}

/** The engine names texts[i]; the API's clients sent items[i].text. Same error, the client's field name. */
function withItemField(e: unknown): unknown {
  if (isChurnscopeError(e) && e.field?.startsWith('texts[')) {
    return e.withField(e.field.replace(/^texts\[(\d+)\]$/, 'items[$1].text'));
  }
  return e;
}
