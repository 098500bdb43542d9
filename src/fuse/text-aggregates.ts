// Summarises one customer's scored texts into the four text features the fusion model reads next to behaviour.
import { ValidationError } from '../errors';

export interface ScoredText {
  /** Calibrated text risk in [0, 1]. */
  risk: number;
  /** When the customer wrote it: a Date, epoch milliseconds or an ISO-8601 string. */
  createdAt: Date | number | string;
}

export interface TextAggregates {
  /** Risk of the most recent text; ties keep the later one in input order. */
  latest: number;
  max: number;
  /** Mean weighted by 0.5^(ageDays / halfLifeDays), so a complaint fades as the customer keeps quiet. */
  recencyWeightedMean: number;
  count: number;
}

export interface TextAggregateOptions {
  /** The reference time ages are measured from; injected so training and tests are reproducible. */
  now: Date | number | string;
  /** Days after which a text weighs half as much (default 30). */
  halfLifeDays?: number;
}

export const DEFAULT_HALF_LIFE_DAYS = 30;

/** Model feature names of the aggregates, in the order the fusion model appends them. */
export const TEXT_FEATURES = {
  latest: 'text_risk_latest',
  max: 'text_risk_max',
  recencyWeightedMean: 'text_risk_recent_mean',
  count: 'text_count',
} as const satisfies Record<keyof TextAggregates, string>;

export const TEXT_FEATURE_NAMES: readonly string[] = Object.values(TEXT_FEATURES);

const DAY_MS = 86_400_000;

/** Epoch milliseconds of a timestamp, or a ValidationError naming `field`. */
export function toEpochMs(value: Date | number | string, field: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new ValidationError(`${field} is not a valid timestamp: ${String(value)}`, { field });
  return ms;
}

/** Null when there are no texts: "never wrote" is a missing value for the trees, not a risk of 0. */
export function aggregateTextRisks(texts: readonly ScoredText[], options: TextAggregateOptions): TextAggregates | null {
  const halfLife = options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS;
  if (!(halfLife > 0 && Number.isFinite(halfLife))) {
    throw new ValidationError(`halfLifeDays must be a positive number, got ${halfLife}`, { field: 'halfLifeDays' });
  }
  if (texts.length === 0) return null;
  const now = toEpochMs(options.now, 'now');
  let latest = 0;
  let latestAt = -Infinity;
  let max = -Infinity;
  let weighted = 0;
  let weights = 0;
  texts.forEach((t, i) => {
    if (!(t.risk >= 0 && t.risk <= 1))
      throw new ValidationError(`texts[${i}].risk must be in [0, 1], got ${t.risk}`, { field: `texts[${i}].risk` });
    const at = toEpochMs(t.createdAt, `texts[${i}].createdAt`);
    // A text dated after `now` (clock skew between systems) counts as brand new rather than weighing more than 1.
    const ageDays = Math.max(0, now - at) / DAY_MS;
    const w = 0.5 ** (ageDays / halfLife);
    weighted += w * t.risk;
    weights += w;
    if (at >= latestAt) {
      latestAt = at;
      latest = t.risk;
    }
    max = Math.max(max, t.risk);
  });
  // Weights underflow to 0 only for texts thousands of half-lives old; then they all count alike.
  const recencyWeightedMean = weights > 0 ? weighted / weights : texts.reduce((s, t) => s + t.risk, 0) / texts.length;
  return { latest, max, recencyWeightedMean, count: texts.length };
}

/** The aggregates as model input cells; every cell is null (missing) for a customer without texts. */
export function textFeatureValues(aggregates: TextAggregates | null | undefined): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [key, name] of Object.entries(TEXT_FEATURES)) {
    out[name] = aggregates && aggregates.count > 0 ? aggregates[key as keyof TextAggregates] : null;
  }
  return out;
}
