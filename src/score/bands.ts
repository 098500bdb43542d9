// Risk bands (low / medium / high / critical): thresholds chosen on validation data by target precision, applied at scoring.
import { z } from 'zod';

export const BANDS = ['low', 'medium', 'high', 'critical'] as const;
export type Band = (typeof BANDS)[number];

export const bandThresholdsSchema = z.object({
  medium: z.number().min(0).max(1),
  high: z.number().min(0).max(1),
  critical: z.number().min(0).max(1),
});
export type BandThresholds = z.infer<typeof bandThresholdsSchema>;

/** Precision each band's lower edge must reach on validation; "high" at 0.8 is the design's rule. */
export const bandTargetsSchema = z.object({
  medium: z.number().gt(0).lt(1).default(0.5),
  high: z.number().gt(0).lt(1).default(0.8),
  critical: z.number().gt(0).lt(1).default(0.95),
});
export type BandTargets = z.infer<typeof bandTargetsSchema>;

export interface ChosenBands {
  thresholds: BandThresholds;
  /** Per band: the precision reached at its threshold on validation, and whether the target was reached at all. */
  achieved: Record<'medium' | 'high' | 'critical', { precision: number; recall: number; reached: boolean }>;
}

export function bandOf(risk: number, t: BandThresholds): Band {
  if (risk >= t.critical) return 'critical';
  if (risk >= t.high) return 'high';
  if (risk >= t.medium) return 'medium';
  return 'low';
}

/**
 * For each band, the lowest threshold at which everything scored at or above it reaches the target precision.
 * When no threshold reaches it, the band starts above the highest score seen (empty on validation) and is flagged.
 */
export function chooseBands(probs: ArrayLike<number>, labels: ArrayLike<number>, targets: BandTargets): ChosenBands {
  const order = Array.from({ length: probs.length }, (_, i) => i).sort((a, b) => probs[b] - probs[a]);
  const pos = order.reduce((n, i) => n + (labels[i] ? 1 : 0), 0);
  // Candidate cut points: after each distinct score, with the precision/recall of "score >= cut".
  const cuts: { threshold: number; precision: number; recall: number }[] = [];
  let tp = 0;
  for (let k = 0; k < order.length; k++) {
    if (labels[order[k]]) tp++;
    if (k === order.length - 1 || probs[order[k + 1]] !== probs[order[k]]) {
      cuts.push({ threshold: probs[order[k]], precision: tp / (k + 1), recall: pos ? tp / pos : 0 });
    }
  }
  const top = cuts.length ? cuts[0].threshold : 1;
  const pick = (target: number) => {
    let best: (typeof cuts)[number] | undefined;
    for (const c of cuts) if (c.precision >= target) best = c; // cuts run from high to low threshold: keep the lowest passing one
    return best
      ? { threshold: best.threshold, precision: best.precision, recall: best.recall, reached: true }
      : { threshold: Math.min(1, top + 1e-6), precision: 0, recall: 0, reached: false };
  };
  const medium = pick(targets.medium);
  const high = pick(targets.high);
  const critical = pick(targets.critical);
  // Keep bands ordered even when a looser target happens to need a higher cut.
  const thresholds = {
    medium: Math.min(medium.threshold, high.threshold, critical.threshold),
    high: Math.min(high.threshold, critical.threshold),
    critical: critical.threshold,
  };
  const strip = ({ precision, recall, reached }: ReturnType<typeof pick>) => ({ precision, recall, reached });
  return { thresholds, achieved: { medium: strip(medium), high: strip(high), critical: strip(critical) } };
}
