// Validation of the store's query filters (dashboard, themes) and rate-limit windows, shared by implementations.
import { ValidationError } from '../errors';
import type { RiskDistributionQuery } from './dashboard-records';
import type { DriftValuesQuery } from './drift-records';
import { textSources } from './input-params';
import type { ScoredTextQuery } from './themes-records';
import { requireCount, requireId, requireOneOf, timestamp } from './values';

export const MAX_RISK_BINS = 100;

export function distributionParams(query: RiskDistributionQuery) {
  const bins = query?.bins;
  if (typeof bins !== 'number' || !Number.isSafeInteger(bins) || bins < 1 || bins > MAX_RISK_BINS) {
    throw new ValidationError(`bins must be an integer from 1 to ${MAX_RISK_BINS}`, { field: 'bins' });
  }
  return {
    bins,
    from: query.from === undefined ? null : timestamp(query.from, 'from'),
    before: query.before === undefined ? null : timestamp(query.before, 'before'),
    source: query.source === undefined ? null : requireOneOf(query.source, textSources, 'source'),
  };
}

/** Bin counts from the database as the full histogram, empty bins included. */
export function histogram(bins: number, rows: readonly { bin: number; count: number }[]) {
  const counts = new Array<number>(bins).fill(0);
  for (const row of rows) counts[row.bin] = row.count;
  return {
    bins: counts.map((count, i) => ({ from: i / bins, to: (i + 1) / bins, count })),
    total: counts.reduce((a, b) => a + b, 0),
  };
}

export function scoredTextParams(query: ScoredTextQuery) {
  return {
    from: query.from === undefined ? null : timestamp(query.from, 'from'),
    to: query.to === undefined ? null : timestamp(query.to, 'to'),
    source: query.source === undefined ? null : requireOneOf(query.source, textSources, 'source'),
    segment: query.segment === undefined ? null : requireId(query.segment, 'segment'),
  };
}

export function driftValuesParams(query: DriftValuesQuery) {
  return {
    modelVersion: requireId(query?.modelVersion, 'modelVersion'),
    from: query.from === undefined ? null : timestamp(query.from, 'from'),
    to: query.to === undefined ? null : timestamp(query.to, 'to'),
    source: query.source === undefined ? null : requireOneOf(query.source, textSources, 'source'),
  };
}

/** The fixed window containing `now`: aligned to the epoch, so that every replica agrees on where it starts. */
export function rateWindow(key: string, windowMs: number, now: Date = new Date()) {
  requireId(key, 'key');
  const ms = requireCount(windowMs, 'windowMs', 1);
  const start = Math.floor(now.getTime() / ms) * ms;
  return { key, start: new Date(start).toISOString(), resetAt: new Date(start + ms).toISOString() };
}
