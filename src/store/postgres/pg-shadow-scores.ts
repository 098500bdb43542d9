// Shadow-model scores on PostgreSQL, and their pairing with outcomes for the live comparison with the active model.
import type { ShadowLabelledScore, ShadowScoreInput } from '../records';
import type { ShadowScoreRepository } from '../types';
import { firstPerOutcomeAndModel, shadowPairsSql, shadowScoreParams, type ShadowPairRow } from '../shadow-pairing';
import { translateConstraint } from './pg-errors';
import type { PgExecutor } from './pg-executor';

const PAIRS = shadowPairsSql({ feedbackSeq: 'seq', textSeq: 'seq', byteOrder: ' COLLATE "C"' });

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
