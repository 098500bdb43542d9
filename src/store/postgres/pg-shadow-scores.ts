// Shadow-model scores on PostgreSQL, and their pairing with outcomes for the live comparison with the active model.
import type { ShadowLabelledScore, ShadowScoreInput } from '../records';
import type { ShadowScoreRepository } from '../types';
import { firstPerOutcomeAndModel, shadowScoreParams, type ShadowPairRow } from '../shadow-pairing';
import { translateConstraint } from './pg-errors';
import type { PgExecutor } from './pg-executor';

const PAIRS = `
  SELECT f.id AS feedback_id, f.outcome, ss.model_version, ss.risk, t.source,
        (SELECT s.text_risk FROM scores s WHERE s.text_id = t.id ORDER BY s.created_at DESC, s.id DESC LIMIT 1)
          AS served_text_risk
      FROM feedback f
  JOIN texts t ON t.id = f.text_id OR (f.text_id IS NULL AND t.customer_id = f.customer_id)
  JOIN shadow_scores ss ON ss.text_id = t.id
  WHERE f.outcome IN ('churned', 'retained')
  ORDER BY f.at, f.seq, ss.model_version COLLATE "C", t.created_at DESC, t.seq DESC, ss.created_at DESC, ss.id DESC`;

export class PgShadowScoreRepository implements ShadowScoreRepository {
  constructor(private readonly ex: PgExecutor) {}

  async insert(input: ShadowScoreInput): Promise<number> {
    const p = shadowScoreParams(input);
    try {
      const [row] = (
        await this.ex.statement<{ id: number }>(
          `INSERT INTO shadow_scores (text_id, model_version, risk, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
          [p.textId, p.modelVersion, p.risk, p.createdAt],
        )
      ).rows;
      return Number(row.id);
    } catch (e) {
      return translateConstraint(e, { missingReference: `text ${p.textId} does not exist`, field: 'textId' });
    }
  }

  async labelledScores(): Promise<ShadowLabelledScore[]> {
    return firstPerOutcomeAndModel(await this.ex.rows<ShadowPairRow>(PAIRS));
  }
}
