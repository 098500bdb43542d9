// Shadow-model scores on SQLite, and their pairing with outcomes for the live comparison with the active model.
import type { Statement } from 'better-sqlite3';
import type { Executor } from './executor';
import type { ShadowLabelledScore, ShadowScoreInput } from '../records';
import type { ShadowScoreRepository } from '../types';
import { firstPerOutcomeAndModel, shadowScoreParams, type ShadowPairRow } from '../shadow-pairing';
import { translateConstraint } from './sqlite-errors';

export class SqliteShadowScoreRepository implements ShadowScoreRepository {
  private readonly insertStmt: Statement;
  private readonly pairsStmt: Statement<[], ShadowPairRow>;

  constructor(private readonly ex: Executor) {
    this.insertStmt = ex.db.prepare(`
      INSERT INTO shadow_scores (text_id, model_version, risk, created_at)
      VALUES (@textId, @modelVersion, @risk, @createdAt)`);
    this.pairsStmt = ex.db.prepare(`
      SELECT f.id AS feedback_id, f.outcome, ss.model_version, ss.risk, t.source,
        (SELECT s.text_risk FROM scores s WHERE s.text_id = t.id ORDER BY s.created_at DESC, s.id DESC LIMIT 1)
          AS served_text_risk
      FROM feedback f
      JOIN texts t ON t.id = f.text_id OR (f.text_id IS NULL AND t.customer_id = f.customer_id)
      JOIN shadow_scores ss ON ss.text_id = t.id
      WHERE f.outcome IN ('churned', 'retained')
      ORDER BY f.at, f.rowid, ss.model_version, t.created_at DESC, t.rowid DESC, ss.created_at DESC, ss.id DESC`);
  }

  async insert(input: ShadowScoreInput): Promise<number> {
    const params = shadowScoreParams(input);
    return this.ex.write(() => {
      try {
        return Number(this.insertStmt.run(params).lastInsertRowid);
      } catch (e) {
        return translateConstraint(e, { missingReference: `text ${params.textId} does not exist`, field: 'textId' });
      }
    });
  }

  async labelledScores(): Promise<ShadowLabelledScore[]> {
    return this.ex.read(() => firstPerOutcomeAndModel(this.pairsStmt.all()));
  }
}
