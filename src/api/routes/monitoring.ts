// Model monitoring over stored scores: GET /v1/monitoring/drift compares a window of scored texts with the bundle's reference.
import { Router } from 'express';
import { z } from 'zod';
import type { DriftMonitor } from '../../drift';
import { rangeEnd, rangeInOrder, rangeStart, timeBoundSchema } from '../../ingest';
import { textSourceSchema } from '../../text/text-source';
import { parseOr400 } from '../validate';

export const driftQuerySchema = z
  .object({
    from: timeBoundSchema
      .optional()
      .describe('Texts written from this date or instant on (default: windowDays before to)'),
    to: timeBoundSchema
      .optional()
      .describe('Texts written up to this instant, or to the end of this date (default: now)'),
    source: textSourceSchema.optional(),
  })
  .refine(rangeInOrder, { message: 'to must not be before from', path: ['to'] });

export function monitoringRouter(deps: { drift: DriftMonitor }): Router {
  const router = Router();

  // A bundle without drift-reference.json answers 200 with reference: null and the reason: the request was fine and
  // the answer ("nothing to compare with") is stable until the model changes; 409 would read as a transient conflict.
  router.get('/v1/monitoring/drift', async (req, res) => {
    const q = parseOr400(driftQuerySchema, req.query, 'query');
    res.json(
      await deps.drift.report({
        from: q.from === undefined ? undefined : rangeStart(q.from),
        to: q.to === undefined ? undefined : rangeEnd(q.to),
        source: q.source,
      }),
    );
  });
  return router;
}
