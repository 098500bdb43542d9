// Outcomes reported back (churned, retained, analyst overrides) and their pairing with scores for live evaluation.
import type { Statement } from 'better-sqlite3';
import type { Executor } from './executor';
import type { FeedbackInput, LabelledScore, Outcome, OutcomeText, TextSource } from '../records';
import type { FeedbackRepository } from '../types';
import { feedbackOwner, feedbackParams } from '../input-params';
import { latestOutcomePerText, type OutcomeTextRow } from '../outcome-texts';
import { timestamp } from '../values';

export class SqliteFeedbackRepository implements FeedbackRepository {
  private readonly insertStmt: Statement;
  private readonly textOwnerStmt: Statement<[string], { customer_id: string | null }>;
  private readonly labelledStmt: Statement<
    [],
    { outcome: Outcome; risk: number; model_version: string; source: TextSource }
  >;

  private readonly outcomeTextsStmt: Statement<{ since: string | null }, OutcomeTextRow>;

  constructor(private readonly ex: Executor) {
    const db = ex.db;
    this.insertStmt = db.prepare(`
      INSERT INTO feedback (id, customer_id, text_id, outcome, override_risk, note, at)
      VALUES (@id, @customerId, @textId, @outcome, @overrideRisk, @note, @at)`);
    this.textOwnerStmt = db.prepare('SELECT customer_id FROM texts WHERE id = ?');
    // The paired score is picked by id, then joined for its risk, model and text source.
    this.labelledStmt = db.prepare(`
      SELECT p.outcome, ps.risk, ps.model_version, pt.source FROM (
        SELECT f.outcome, f.at, f.id AS feedback_id,
          CASE WHEN f.text_id IS NOT NULL THEN
            (SELECT s.id FROM scores s WHERE s.text_id = f.text_id ORDER BY s.created_at DESC, s.id DESC LIMIT 1)
          ELSE
            (SELECT s.id FROM scores s JOIN texts t ON t.id = s.text_id WHERE t.customer_id = f.customer_id
             ORDER BY t.created_at DESC, t.rowid DESC, s.created_at DESC, s.id DESC LIMIT 1)
          END AS score_id
        FROM feedback f
        WHERE f.outcome IN ('churned', 'retained')) p
      JOIN scores ps ON ps.id = p.score_id
      JOIN texts pt ON pt.id = ps.text_id
      ORDER BY p.at, p.feedback_id`);
    this.outcomeTextsStmt = db.prepare(`
      SELECT f.outcome, f.at, t.id AS text_id, t.text, t.source FROM feedback f
      JOIN texts t ON t.id = COALESCE(f.text_id,
        (SELECT t2.id FROM texts t2 WHERE t2.customer_id = f.customer_id
         ORDER BY t2.created_at DESC, t2.rowid DESC LIMIT 1))
      WHERE f.outcome IN ('churned', 'retained') AND (@since IS NULL OR f.at >= @since)
      ORDER BY f.at, f.rowid`);
  }

  async insert(input: FeedbackInput): Promise<string> {
    const params = feedbackParams(input);
    await this.ex.write(() => {
      const text = params.textId === null ? undefined : this.textOwnerStmt.get(params.textId);
      params.customerId = feedbackOwner(params, text);
      this.insertStmt.run(params);
    });
    return params.id;
  }

  async labelledScores(): Promise<LabelledScore[]> {
    return this.ex.read(() =>
      this.labelledStmt.all().map((r): LabelledScore => ({
        risk: r.risk,
        label: r.outcome === 'churned' ? 1 : 0,
        modelVersion: r.model_version,
        source: r.source,
      })),
    );
  }

  async outcomeTexts(opts: { since?: string | Date } = {}): Promise<OutcomeText[]> {
    const since = opts.since === undefined ? null : timestamp(opts.since, 'since');
    return this.ex.read(() => latestOutcomePerText(this.outcomeTextsStmt.all({ since })));
  }
}
