// Decides which alert rules a freshly scored text triggers: risk above a threshold, band at least, or a jump in risk.
import type { Band } from '../score';
import type { DriftReport } from '../drift';
import { rocAuc } from '../metrics';
import type { LabelledScore } from '../store';
import type { AlertCondition } from './alert-schemas';

export interface ScoredEvent {
  customerId: string | null;
  textId: string | null;
  /**
   * SHA-256 of the scored words (the stored text's hash). With the customer it names the alert across replicas: the
   * same words scored on two replicas at once are one alert, delivered once.
   */
  textHash?: string;
  risk: number;
  band: Band;
  /** The customer's risk before this text, within the rule's window, if any. */
  previousRisk?: { risk: number; at: string } | null;
  at: string;
}

const BAND_RANK: Record<Band, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export function conditionHolds(condition: AlertCondition, event: ScoredEvent): { holds: boolean; reason: string } {
  switch (condition.type) {
    case 'risk_above':
      return {
        holds: event.risk > condition.threshold,
        reason: `risk ${event.risk.toFixed(3)} > ${condition.threshold}`,
      };
    case 'band_at_least':
      return {
        holds: BAND_RANK[event.band] >= BAND_RANK[condition.band],
        reason: `band ${event.band} ≥ ${condition.band}`,
      };
    case 'risk_jump': {
      const prev = event.previousRisk;
      if (!prev) return { holds: false, reason: 'no earlier risk to compare with' };
      const ageDays = (Date.parse(event.at) - Date.parse(prev.at)) / 86_400_000;
      const jump = event.risk - prev.risk;
      return {
        holds: ageDays <= condition.withinDays && jump >= condition.delta,
        reason: `risk rose by ${jump.toFixed(3)} (≥ ${condition.delta}) within ${ageDays.toFixed(1)} days`,
      };
    }
    case 'drift_above':
      return { holds: false, reason: 'drift rules are checked on drift refreshes, not per scored text' };
    case 'auc_below':
      return { holds: false, reason: 'live-AUC rules are checked on feedback, not per scored text' };
  }
}

/** Model versions whose live ROC-AUC is below an auc_below rule's threshold, with enough labels of both outcomes. */
export function aucBelow(
  condition: Extract<AlertCondition, { type: 'auc_below' }>,
  points: readonly LabelledScore[],
): { modelVersion: string; rocAuc: number; n: number; positives: number }[] {
  const versions = condition.modelVersion ? [condition.modelVersion] : [...new Set(points.map((p) => p.modelVersion))];
  const out = [];
  for (const modelVersion of versions) {
    const ofModel = points.filter((p) => p.modelVersion === modelVersion);
    if (ofModel.length < condition.minLabels) continue;
    const auc = rocAuc(
      ofModel.map((p) => p.risk),
      ofModel.map((p) => p.label),
    );
    const positives = ofModel.filter((p) => p.label === 1).length;
    if (!Number.isNaN(auc) && auc < condition.threshold)
      out.push({ modelVersion, rocAuc: auc, n: ofModel.length, positives });
  }
  return out;
}

/** The signals of a drift report a drift_above rule fires on (empty: it does not hold), with the PSI each exceeded. */
export function driftSignalsAbove(
  condition: Extract<AlertCondition, { type: 'drift_above' }>,
  report: DriftReport,
): { name: string; psi: number; threshold: number }[] {
  const above: { name: string; psi: number; threshold: number }[] = [];
  for (const s of report.signals) {
    if (condition.signal !== 'any' && s.name !== condition.signal) continue;
    const threshold = condition.psi ?? s.threshold;
    if (s.psi !== null && s.psi > threshold) above.push({ name: s.name, psi: s.psi, threshold });
  }
  return above;
}
