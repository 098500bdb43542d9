// The dashboard's data: the risk distribution over scored texts and the customers most at risk, with their drivers.
import { Router } from 'express';
import { z } from 'zod';
import { topDrivers } from '../../dashboard';
import { rangeEnd, rangeInOrder, rangeStart, timeBoundSchema } from '../../ingest';
import { textSourceSchema } from '../../text/text-source';
import type { Store } from '../../store';
import { parseOr400 } from '../validate';

export const riskDistributionQuerySchema = z
  .object({
    bins: z.coerce.number().int().min(1).max(100).default(20).describe('Equal-width bins over [0, 1]'),
    from: timeBoundSchema.optional().describe('Texts written from this date or instant on'),
    to: timeBoundSchema.optional().describe('Texts written up to this instant, or to the end of this date'),
    source: textSourceSchema.optional(),
  })
  .refine(rangeInOrder, {
    message: 'to must not be before from',
    path: ['to'],
  });
export const atRiskQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(20),
});

export function dashboardDataRouter(deps: { store: Store }): Router {
  const router = Router();

  router.get('/v1/stats/risk-distribution', async (req, res) => {
    const q = parseOr400(riskDistributionQuerySchema, req.query, 'query');
    res.json(
      await deps.store.dashboard.riskDistribution({
        bins: q.bins,
        from: q.from === undefined ? undefined : rangeStart(q.from),
        before: q.to === undefined ? undefined : rangeEnd(q.to),
        source: q.source,
      }),
    );
  });

  // Registered before /v1/customers/:id, which would otherwise read "at-risk" as a customer id.
  router.get('/v1/customers/at-risk', async (req, res) => {
    const { limit } = parseOr400(atRiskQuerySchema, req.query, 'query');
    const customers = await deps.store.dashboard.atRiskCustomers({ limit });
    res.json({ customers: customers.map((c) => ({ ...c, drivers: topDrivers(c.drivers) })) });
  });
  return router;
}
