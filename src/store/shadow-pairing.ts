// Shadow scores to labelled points, the same for every implementation: the first row per (outcome, shadow model) wins.
import type { Outcome, ShadowLabelledScore, ShadowScoreInput, TextSource } from './records';
import { requireId, requireProbability, timestamp } from './values';

export type ShadowPairRow = {
  feedback_id: string;
  outcome: Outcome;
  model_version: string;
  risk: number;
  source: TextSource;
  served_text_risk: number | null;
};

/** Rows come ordered so that, per outcome and model, the preferred score (newest text, newest score) comes first. */
export function firstPerOutcomeAndModel(rows: readonly ShadowPairRow[]): ShadowLabelledScore[] {
  const seen = new Set<string>();
  const out: ShadowLabelledScore[] = [];
  for (const r of rows) {
    const key = `${r.feedback_id}\u0000${r.model_version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      risk: r.risk,
      label: r.outcome === 'churned' ? 1 : 0,
      modelVersion: r.model_version,
      source: r.source,
      servedTextRisk: r.served_text_risk,
    });
  }
  return out;
}

/** Validates a shadow score before it is written. */
export function shadowScoreParams(input: ShadowScoreInput) {
  return {
    textId: requireId(input?.textId, 'textId'),
    modelVersion: requireId(input.modelVersion, 'modelVersion'),
    risk: requireProbability(input.risk, 'risk'),
    createdAt: timestamp(input.createdAt, 'createdAt'),
  };
}
