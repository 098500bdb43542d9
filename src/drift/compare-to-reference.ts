// Compares live per-text values with a bundle's drift reference: PSI over the reference's bins, KS against its sample.
import { NUMERIC_DRIFT_SIGNALS, type DriftReference, type DriftSignal } from '../bundle';
import { binCounts, categoryCounts } from './histogram';
import { ksPValue, ksStatistic } from './ks';
import { psi } from './psi';

/** What a stored score recorded for drift; null where the text was scored without it (older rows, no reference). */
export interface LiveDriftValues {
  risk: number;
  tokens: number | null;
  rareShare: number | null;
  centroidDistance: number | null;
  source: string;
}

export interface DriftSignalResult {
  name: DriftSignal;
  psi: number | null;
  /** Two-sample KS statistic against the reference sample, with its asymptotic p-value; absent for source. */
  ks?: { statistic: number; pValue: number } | null;
  threshold: number;
  drifted: boolean;
  /** Live texts that carry this signal. */
  count: number;
  /** Only when the signal cannot be computed (e.g. the reference records no sources). */
  note?: string;
}

export type DriftThresholds = Record<DriftSignal, number>;

export function compareToReference(
  reference: DriftReference,
  live: readonly LiveDriftValues[],
  opts: { thresholds: DriftThresholds; sourceFilter?: string },
): DriftSignalResult[] {
  const pick: Record<(typeof NUMERIC_DRIFT_SIGNALS)[number], (v: LiveDriftValues) => number | null> = {
    risk: (v) => v.risk,
    tokens: (v) => (v.tokens === null ? null : Math.min(v.tokens, reference.tokenCap)),
    rare_share: (v) => v.rareShare,
    centroid_distance: (v) => v.centroidDistance,
  };
  const results: DriftSignalResult[] = NUMERIC_DRIFT_SIGNALS.map((name) => {
    const values = live.map(pick[name]).filter((x): x is number => x !== null && Number.isFinite(x));
    const ref = reference.numeric[name];
    const p = psi(ref.counts, binCounts(values, ref.edges));
    const d = ksStatistic(ref.sample, values);
    const threshold = opts.thresholds[name];
    return {
      name,
      psi: p,
      ks: d === null ? null : { statistic: d, pValue: ksPValue(d, reference.texts, values.length) },
      threshold,
      drifted: p !== null && p > threshold,
      count: values.length,
    };
  });
  results.push(sourceSignal(reference, live, opts));
  return results;
}

function sourceSignal(
  reference: DriftReference,
  live: readonly LiveDriftValues[],
  opts: { thresholds: DriftThresholds; sourceFilter?: string },
): DriftSignalResult {
  const threshold = opts.thresholds.source;
  const base = { name: 'source' as const, threshold, count: live.length };
  if (!reference.source.recorded) return { ...base, psi: null, drifted: false, note: reference.source.reason };
  if (opts.sourceFilter !== undefined) {
    return { ...base, psi: null, drifted: false, note: `the window holds only source ${opts.sourceFilter}` };
  }
  const { categories, counts } = reference.source;
  const p = psi(
    counts,
    categoryCounts(
      live.map((v) => v.source),
      categories,
    ),
  );
  return { ...base, psi: p, drifted: p !== null && p > threshold };
}
