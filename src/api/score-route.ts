// POST /v1/score: one text or up to 256 items in, text risk out.
import { Router } from 'express';
import { z } from 'zod';
import { ValidationError } from '../errors';
import type { InferenceEngine, TextScore } from '../engine';

export const MAX_ITEMS = 256;

const item = z.object({ text: z.unknown(), source: z.enum(['feedback', 'review', 'chat', 'ticket']).optional(), customerId: z.string().optional() });
const body = z.union([item, z.object({ items: z.array(item).min(1).max(MAX_ITEMS) })]);

export interface ScoreRouteDeps {
  engine: InferenceEngine;
  modelVersion: string;
}

export function scoreRouter(deps: ScoreRouteDeps): Router {
  const router = Router();
  router.post('/v1/score', async (req, res) => {
    const parsed = body.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ValidationError(`${issue.path.join('.') || 'body'}: ${issue.message}`, { field: issue.path.join('.') || 'body' });
    }
    const items = 'items' in parsed.data ? parsed.data.items : [parsed.data];
    const scores = await deps.engine.score(items.map((i) => i.text));
    const results = scores.map((s) => present(s, deps.modelVersion));
    res.json('items' in parsed.data ? { items: results } : results[0]);
  });
  return router;
}

function present(s: TextScore, modelVersion: string) {
  return {
    textRisk: round(s.probability),
    windows: { count: s.windows.count, max: round(s.windows.max), mean: round(s.windows.mean), truncated: s.windows.truncated },
    tokens: s.tokens,
    modelVersion,
  };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
