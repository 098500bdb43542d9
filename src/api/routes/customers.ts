// Customers: behavioural features (PUT/GET/DELETE, CSV import) and the current fused risk with its history.
import express, { Router } from 'express';
import { parse } from 'csv-parse/sync';
import { DataFileError, NotFoundError, ValidationError } from '../../errors';
import { DEFAULT_HALF_LIFE_DAYS, type FusionModel } from '../../fuse';
import type { Store } from '../../store';
import { customerSchema } from '../schemas';
import { parseOr400 } from '../validate';

export interface CustomersDeps {
  store: Store;
  fusion?: FusionModel;
  clock?: () => Date;
  /** Largest CSV import body, e.g. "20mb". */
  importLimit?: string;
}

const ID = /^[\w.:@-]{1,200}$/;

function customerId(raw: string): string {
  if (!ID.test(raw))
    throw new ValidationError(`customer id "${raw.slice(0, 50)}" must be 1-200 letters, digits or . _ : @ -`, {
      field: 'id',
    });
  return raw;
}

export function customersRouter(deps: CustomersDeps): Router {
  const router = Router();
  const now = () => (deps.clock ?? (() => new Date()))();

  router.put('/v1/customers/:id', async (req, res) => {
    const id = customerId(req.params.id);
    const body = parseOr400(customerSchema, req.body);
    // Unknown or mistyped features fail here with their name, not later at scoring time.
    deps.fusion?.predict({ features: body.features });
    res.json(await deps.store.customers.upsert({ id, features: body.features, segment: body.segment }));
  });

  router.get('/v1/customers/:id', async (req, res) => {
    const found = await deps.store.customers.get(customerId(req.params.id));
    if (!found) throw new NotFoundError(`customer "${req.params.id}" not found`, { field: 'id' });
    res.json(found);
  });

  router.delete('/v1/customers/:id', async (req, res) => {
    if (!(await deps.store.customers.erase(customerId(req.params.id))))
      throw new NotFoundError(`customer "${req.params.id}" not found`, { field: 'id' });
    res.status(204).end();
  });

  router.post(
    '/v1/customers/import',
    express.text({ type: ['text/csv', 'text/plain'], limit: deps.importLimit ?? '20mb' }),
    async (req, res) => {
      if (typeof req.body !== 'string' || req.body.trim() === '')
        throw new ValidationError('send the CSV as the request body with content-type text/csv', { field: 'body' });
      const idColumn = typeof req.query.idColumn === 'string' ? req.query.idColumn : 'customer_id';
      const rows = parseCsv(req.body);
      const customers = rows.map((row, i) => {
        const line = i + 2;
        const { [idColumn]: rawId, segment, ...features } = row;
        if (!rawId)
          throw new DataFileError(
            `row ${line}: column "${idColumn}" is missing or empty; columns: ${Object.keys(row).join(', ')}`,
            { row: line, field: idColumn },
          );
        try {
          deps.fusion?.predict({ features });
        } catch (e) {
          throw new DataFileError(`row ${line}: ${(e as Error).message}`, {
            row: line,
            field: (e as ValidationError).field,
            cause: e,
          });
        }
        return { id: customerId(rawId), features, segment: segment || null };
      });
      res.json({ imported: await deps.store.customers.importMany(customers) });
    },
  );

  router.get('/v1/customers/:id/risk', async (req, res) => {
    const id = customerId(req.params.id);
    const at = now();
    // Aggregates over every text the customer wrote (the store's own method), not just the history page shown.
    const [customer, history, aggregates] = await Promise.all([
      deps.store.customers.get(id),
      deps.store.scores.history(id, { limit: 100 }),
      deps.store.scores.textRiskAggregates(id, {
        now: at,
        halfLifeDays: deps.fusion?.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS,
      }),
    ]);
    if (!customer && history.length === 0) throw new NotFoundError(`customer "${id}" not found`, { field: 'id' });
    const current =
      deps.fusion && (customer || aggregates)
        ? deps.fusion.predict({ features: customer?.features ?? null, textAggregates: aggregates })
        : null;
    res.json({
      customerId: id,
      risk: current?.risk ?? history[0]?.risk ?? null,
      tabularRisk: current?.tabularRisk ?? null,
      used: current?.used ?? (history.length ? 'text' : null),
      textRisk: aggregates,
      history,
      at: at.toISOString(),
    });
  });
  return router;
}

function parseCsv(body: string): Record<string, string>[] {
  try {
    return parse<Record<string, string>>(body, { columns: true, bom: true, skip_empty_lines: true, trim: true });
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new DataFileError(`CSV body${err.lines ? ` line ${err.lines}` : ''}: ${err.message}`, {
      row: err.lines,
      cause: e,
    });
  }
}
