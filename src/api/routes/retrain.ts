// POST /v1/models/retrain starts `churnscope retrain` as a background job; GET /v1/models/retrain/:id shows its progress.
import { Router } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../../errors';
import type { RetrainJobs } from '../../retrain';
import { parseOr400 } from '../validate';

export const retrainRequestSchema = z
  .object({
    since: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    heldBackFraction: z.number().gt(0).lt(1).default(0.2),
    promoteIfBetter: z.boolean().default(false),
    mode: z.enum(['auto', 'head', 'full', 'few-shot']).default('auto'),
    seed: z.number().int().optional(),
    epochs: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

export type RetrainRequest = z.infer<typeof retrainRequestSchema>;

export function retrainRouter(deps: { retrain: RetrainJobs<RetrainRequest> }): Router {
  const router = Router();
  router.post('/v1/models/retrain', (req, res) => {
    const job = deps.retrain.start(parseOr400(retrainRequestSchema, req.body ?? {}));
    res.status(202).location(`/v1/models/retrain/${job.id}`).json(job);
  });
  router.get('/v1/models/retrain/:id', (req, res) => {
    const job = deps.retrain.get(req.params.id);
    if (!job) throw new NotFoundError(`retrain job "${req.params.id}" not found`, { field: 'id' });
    res.json(job);
  });
  return router;
}
