// Feedback on PostgreSQL: outcomes, overrides, and their pairing with scores for live evaluation.
import { feedbackOwner, feedbackParams } from '../input-params';
import type { FeedbackInput, LabelledScore, Outcome, OutcomeText, TextSource } from '../records';
import { latestOutcomePerText, type OutcomeTextRow } from '../outcome-texts';
import { timestamp } from '../values';
import type { FeedbackRepository } from '../types';
import { translateConstraint } from './pg-errors';
import type { PgExecutor } from './pg-executor';

// The paired score is picked by id, then joined for its risk, model and text source.
const LABELLED = `
  SELECT paired.outcome, ps.risk, ps.model_version, pt.source FROM (
    SELECT f.outcome, f.at, f.id,
      CASE WHEN f.text_id IS NOT NULL THEN
        (SELECT s.id FROM scores s WHERE s.text_id = f.text_id ORDER BY s.created_at DESC, s.id DESC LIMIT 1)
      ELSE
        (SELECT s.id FROM scores s JOIN texts t ON t.id = s.text_id WHERE t.customer_id = f.customer_id
         ORDER BY t.created_at DESC, t.seq DESC, s.created_at DESC, s.id DESC LIMIT 1)
      END AS score_id
    FROM feedback f
    WHERE f.outcome IN ('churned', 'retained')) paired
  JOIN scores ps ON ps.id = paired.score_id
  JOIN texts pt ON pt.id = ps.text_id
  ORDER BY paired.at, paired.id COLLATE "C"`;

const OUTCOME_TEXTS = `
  SELECT f.outcome, f.at, t.id AS text_id, t.text, t.source FROM feedback f
  JOIN texts t ON t.id = COALESCE(f.text_id,
    (SELECT t2.id FROM texts t2 WHERE t2.customer_id = f.customer_id ORDER BY t2.created_at DESC, t2.seq DESC LIMIT 1))
  WHERE f.outcome IN ('churned', 'retained') AND ($1::timestamptz IS NULL OR f.at >= $1::timestamptz)
  ORDER BY f.at, f.seq`;

export class PgFeedbackRepository implements FeedbackRepository {
  constructor(private readonly ex: PgExecutor) {}

  async insert(input: FeedbackInput): Promise<string> {
    const p = feedbackParams(input);
    await this.ex.write(async () => {
      // FOR SHARE: the text cannot be erased between reading its owner and the insert that names it.
      const [text] =
        p.textId === null
          ? []
          : await this.ex.rows<{ customer_id: string | null }>(
              'SELECT customer_id FROM texts WHERE id = $1 FOR SHARE',
              [p.textId],
            );
      p.customerId = feedbackOwner(p, text);
      try {
        await this.ex.query(
          `INSERT INTO feedback (id, customer_id, text_id, outcome, override_risk, note, at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [p.id, p.customerId, p.textId, p.outcome, p.overrideRisk, p.note, p.at],
        );
      } catch (e) {
        translateConstraint(e, { missingReference: `text ${p.textId} does not exist`, field: 'textId' });
      }
    });
    return p.id;
  }

  async labelledScores(): Promise<LabelledScore[]> {
    const rows = await this.ex.rows<{ outcome: Outcome; risk: number; model_version: string; source: TextSource }>(
      LABELLED,
    );
    return rows.map((r): LabelledScore => ({
      risk: r.risk,
      label: r.outcome === 'churned' ? 1 : 0,
      modelVersion: r.model_version,
      source: r.source,
    }));
  }

  async outcomeTexts(opts: { since?: string | Date } = {}): Promise<OutcomeText[]> {
    const since = opts.since === undefined ? null : timestamp(opts.since, 'since');
    return latestOutcomePerText(await this.ex.rows<OutcomeTextRow>(OUTCOME_TEXTS, [since]));
  }
}
