// POST /v1/score: one text or up to 256 items in, text risk out.
import { Router } from 'express';
import { z } from 'zod';
import { isChurnscopeError, ValidationError } from '../errors';
import type { InferenceEngine, TextScore } from '../engine';
import type { RiskCalibrator } from '../score';

export const MAX_ITEMS = 256;

const item = z.object({ text: z.unknown(), source: z.enum(['feedback', 'review', 'chat', 'ticket']).optional(), customerId: z.string().optional() });
const batch = z.object({ items: z.array(item).min(1, 'items must hold at least one item').max(MAX_ITEMS, `items holds at most ${MAX_ITEMS} entries`) });

/** One text or a batch, told apart by the presence of `items`, so errors point at the real field (not a union miss). */
function parseBody(raw: unknown): { items: z.infer<typeof item>[]; batch: boolean } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ValidationError('request body must be a JSON object with "text" or "items"', { field: 'body' });
  }
  const isBatch = 'items' in raw;
  const parsed = isBatch ? batch.safeParse(raw) : item.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || 'body';
    throw new ValidationError(`${field}: ${issue.message}`, { field });
  }
  return isBatch ? { items: (parsed.data as z.infer<typeof batch>).items, batch: true } : { items: [parsed.data as z.infer<typeof item>], batch: false };
}

export interface ScoreRouteDeps {
  engine: InferenceEngine;
  calibrator: RiskCalibrator;
  modelVersion: string;
}

export function scoreRouter(deps: ScoreRouteDeps): Router {
  const router = Router();
  router.post('/v1/score', async (req, res) => {
    const { items, batch: isBatch } = parseBody(req.body);
    const scores = await deps.engine.score(items.map((i) => i.text)).catch((e: unknown) => {
      throw isBatch ? withItemField(e) : e;
    });
    const results = scores.map((s) => present(s, deps));
    res.json(isBatch ? { items: results } : results[0]);
  });
  return router;
}

/** The engine names texts[i]; the API's clients sent items[i].text. */
function withItemField(e: unknown): unknown {
  if (isChurnscopeError(e) && e.field?.startsWith('texts[')) {
    const field = e.field.replace(/^texts\[(\d+)\]$/, 'items[$1].text');
    const Ctor = e.constructor as new (m: string, d: { field: string; cause: unknown }) => Error;
    return new Ctor(e.message.replace(e.field, field), { field, cause: e });
  }
  return e;
}

function present(s: TextScore, deps: ScoreRouteDeps) {
  const risk = deps.calibrator.risk(s.probability);
  return {
    risk: round(risk),
    band: deps.calibrator.band(risk),
    textRisk: round(risk),
    tabularRisk: null,
    rawProbability: round(s.probability),
    windows: { count: s.windows.count, max: round(s.windows.max), mean: round(s.windows.mean), truncated: s.windows.truncated },
    tokens: s.tokens,
    modelVersion: deps.modelVersion,
  };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
