// Decides which alert rules a freshly scored text triggers: risk above a threshold, band at least, or a jump in risk.
import type { Band } from '../score';
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
  }
}
