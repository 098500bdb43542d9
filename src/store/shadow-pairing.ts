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

/** How a dialect names the tie-breaks the pairing order needs: insertion order of feedback and texts, byte order of names. */
export interface PairingDialect {
  /** Insertion order of feedback rows (SQLite rowid, PostgreSQL seq). */
  feedbackSeq: string;
  /** Insertion order of text rows. */
  textSeq: string;
  /** Orders model versions by bytes, the same everywhere (PostgreSQL's default collation is locale-aware). */
  byteOrder: string;
}

/**
 * The one pairing query: each outcome with the shadow scores of its text (or, for a customer-level outcome, of the
 * customer's texts) and the active model's latest score of that text, in firstPerOutcomeAndModel's order.
 */
export function shadowPairsSql(d: PairingDialect): string {
  return `
    SELECT f.id AS feedback_id, f.outcome, ss.model_version, ss.risk, t.source,
      (SELECT s.text_risk FROM scores s WHERE s.text_id = t.id ORDER BY s.created_at DESC, s.id DESC LIMIT 1)
        AS served_text_risk
    FROM feedback f
    JOIN texts t ON t.id = f.text_id OR (f.text_id IS NULL AND t.customer_id = f.customer_id)
    JOIN shadow_scores ss ON ss.text_id = t.id
    WHERE f.outcome IN ('churned', 'retained')
    ORDER BY f.at, f.${d.feedbackSeq}, ss.model_version${d.byteOrder}, t.created_at DESC, t.${d.textSeq} DESC,
      ss.created_at DESC, ss.id DESC`;
}

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
