// The filters shared by GET /v1/themes, POST /v1/themes/probe and `churnscope themes`: validation and store query.
import { z } from 'zod';
import { ValidationError } from '../errors';
import { rangeEnd, rangeInOrder, rangeStart, timeBoundSchema } from '../ingest';
import { textSourceSchema } from '../text/text-source';
import type { ScoredTextQuery } from '../store';
import type { ThemeFilters } from './theme-types';

const fields = {
  from: timeBoundSchema.optional().describe('Texts written at or after this date'),
  to: timeBoundSchema.optional().describe('Texts written up to this date (a date alone includes that whole day)'),
  source: textSourceSchema.optional(),
  minRisk: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("Dissatisfaction threshold on the text's own risk (default: the active model's high band)"),
  segment: z.string().min(1).max(200).optional().describe("Customers' segment"),
};
const ordered = rangeInOrder;
const orderMessage = { message: 'from must not be after to', path: ['from'] };

export const themeFiltersSchema = z.object(fields).strict().refine(ordered, orderMessage);

/** The same filters from a query string, where every value arrives as text. */
export const themeFiltersQuerySchema = z
  .object({
    ...fields,
    minRisk: z
      .string()
      .regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, 'must be a number between 0 and 1')
      .transform(Number)
      .optional(),
  })
  .refine(ordered, orderMessage);

export const themeProbeSchema = z
  .object({
    query: z.string().trim().min(1, 'query must not be empty').max(1000, 'query is longer than 1000 characters'),
    filters: themeFiltersSchema.optional(),
    limit: z.number().int().min(1).max(200).default(20),
  })
  .strict();
export type ThemeProbeRequest = z.infer<typeof themeProbeSchema>;

/** Filters minus undefined fields, so equal filter sets have equal cache keys. */
export function normalizeFilters(f: ThemeFilters): ThemeFilters {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));
}

/** `to` as an exclusive bound: the day after a date, the next millisecond after a timestamp. */
export function toStoreQuery(f: ThemeFilters): ScoredTextQuery {
  const query: ScoredTextQuery = {};
  if (f.from) query.from = rangeStart(f.from);
  if (f.to) query.to = rangeEnd(f.to);
  if (f.source) query.source = f.source;
  if (f.segment) query.segment = f.segment;
  return query;
}

/** For callers outside HTTP (the CLI): the schema's first complaint as a ValidationError naming the filter. */
export function parseThemeFilters(raw: unknown): ThemeFilters {
  const parsed = themeFiltersSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'filters';
    throw new ValidationError(`${field}: ${issue.message}`, { field });
  }
  return normalizeFilters(parsed.data);
}
