// What drift_above and auc_below rules deliver: their payloads and the claims that keep them to one per model and day.
import { createHash } from 'node:crypto';
import type { DriftReport } from '../drift';
import type { LabelledScore } from '../store';
import { aucBelow, driftSignalsAbove } from './evaluate-rules';
import type { AlertDelivery, EnabledRule } from './rule-delivery';

const dayClaim = (...parts: string[]) => createHash('sha256').update(JSON.stringify(parts)).digest('hex');

/** One delivery per drift_above rule whose signals are above; claimed per model and UTC day of the window's end. */
export function driftAlerts(rules: readonly EnabledRule[], report: DriftReport): [EnabledRule, AlertDelivery][] {
  if (!report.reference) return [];
  const out: [EnabledRule, AlertDelivery][] = [];
  for (const rule of rules) {
    if (rule.condition.type !== 'drift_above') continue;
    const above = driftSignalsAbove(rule.condition, report);
    if (above.length === 0) continue;
    const payload = {
      rule: { id: rule.id, name: rule.name },
      reason: above.map((s) => `${s.name} PSI ${s.psi.toFixed(3)} > ${s.threshold}`).join('; '),
      model: report.model,
      window: report.window,
      signals: above,
      at: report.window.to,
    };
    const claim = dayClaim('drift', report.model, report.window.to.slice(0, 10));
    out.push([rule, { customerId: null, textId: null, payload, claim }]);
  }
  return out;
}

/** One delivery per auc_below rule and model version below its threshold; claimed per model and UTC day. */
export function aucAlerts(
  rules: readonly EnabledRule[],
  points: readonly LabelledScore[],
  at: Date,
): [EnabledRule, AlertDelivery][] {
  const out: [EnabledRule, AlertDelivery][] = [];
  for (const rule of rules) {
    if (rule.condition.type !== 'auc_below') continue;
    const { threshold } = rule.condition;
    for (const low of aucBelow(rule.condition, points)) {
      const payload = {
        rule: { id: rule.id, name: rule.name },
        reason: `live ROC-AUC ${low.rocAuc.toFixed(3)} < ${threshold} over ${low.n} labelled scores`,
        ...low,
        threshold,
        at: at.toISOString(),
      };
      const claim = dayClaim('auc', low.modelVersion, at.toISOString().slice(0, 10));
      out.push([rule, { customerId: null, textId: null, payload, claim }]);
    }
  }
  return out;
}
