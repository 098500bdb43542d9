// The dashboard's data: the risk distribution over scored texts and the customers most at risk, with their drivers.
import { Router } from 'express';
import { z } from 'zod';
import { topDrivers } from '../../dashboard';
import { textSourceSchema } from '../../text/text-source';
import type { Store } from '../../store';
import { parseOr400 } from '../validate';

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;
const instant = z
  .string()
  .refine(
    (s) => ISO_INSTANT.test(s) && !Number.isNaN(Date.parse(s)),
    'must be an ISO-8601 date (2026-03-01) or timestamp with zone (2026-03-01T09:00:00Z)',
  );

export const riskDistributionQuerySchema = z
  .object({
    bins: z.coerce.number().int().min(1).max(100).default(20).describe('Equal-width bins over [0, 1]'),
    from: instant.optional().describe('Texts written from this date or instant on'),
    to: instant.optional().describe('Texts written up to this instant, or to the end of this date'),
    source: textSourceSchema.optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) <= Date.parse(q.to), {
    message: 'to must not be before from',
    path: ['to'],
  });
export const atRiskQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(20),
});

/** A date-only `to` means the whole of that day, so the exclusive bound is the next midnight (UTC). */
function exclusiveEnd(to: string): Date {
  return DATE_ONLY.test(to) ? new Date(Date.parse(to) + DAY_MS) : new Date(Date.parse(to) + 1);
}

export function dashboardDataRouter(deps: { store: Store }): Router {
  const router = Router();

  router.get('/v1/stats/risk-distribution', async (req, res) => {
    const q = parseOr400(riskDistributionQuerySchema, req.query, 'query');
    res.json(
      await deps.store.dashboard.riskDistribution({
        bins: q.bins,
        from: q.from === undefined ? undefined : new Date(q.from),
        before: q.to === undefined ? undefined : exclusiveEnd(q.to),
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
