// Shadow-model scores on SQLite, and their pairing with outcomes for the live comparison with the active model.
import type { Statement } from 'better-sqlite3';
import type { Executor } from './executor';
import type { ShadowLabelledScore, ShadowScoreInput } from '../records';
import type { ShadowScoreRepository } from '../types';
import { firstPerOutcomeAndModel, shadowPairsSql, shadowScoreParams, type ShadowPairRow } from '../shadow-pairing';
import { translateConstraint } from './sqlite-errors';

export class SqliteShadowScoreRepository implements ShadowScoreRepository {
  private readonly insertStmt: Statement;
  private readonly pairsStmt: Statement<[], ShadowPairRow>;

  constructor(private readonly ex: Executor) {
    this.insertStmt = ex.db.prepare(`
      INSERT INTO shadow_scores (text_id, model_version, risk, created_at)
      VALUES (@textId, @modelVersion, @risk, @createdAt)`);
    this.pairsStmt = ex.db.prepare(shadowPairsSql({ feedbackSeq: 'rowid', textSeq: 'rowid', byteOrder: '' }));
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
