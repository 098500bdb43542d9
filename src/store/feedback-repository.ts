// Outcomes reported back (churned, retained, analyst overrides) and their pairing with scores for live evaluation.
import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { NotFoundError, ValidationError } from '../errors';
import type { Executor } from './executor';
import type { FeedbackInput, LabelledScore, Outcome } from './records';
import type { FeedbackRepository } from './types';
import { optionalId, optionalText, requireOneOf, requireProbability, timestamp } from './values';

const outcomes: readonly Outcome[] = ['churned', 'retained', 'override'];

function validate(input: FeedbackInput) {
  const customerId = optionalId(input?.customerId, 'customerId');
  const textId = optionalId(input.textId, 'textId');
  if (customerId === null && textId === null) {
    throw new ValidationError('feedback needs a customerId or a textId', { field: 'customerId' });
  }
  const outcome = requireOneOf(input.outcome, outcomes, 'outcome');
  const given = input.overrideRisk !== undefined && input.overrideRisk !== null;
  if (outcome === 'override' && !given)
    throw new ValidationError('an override needs overrideRisk', { field: 'overrideRisk' });
  if (outcome !== 'override' && given)
    throw new ValidationError(`overrideRisk is only for overrides, not ${outcome}`, { field: 'overrideRisk' });
  return {
    id: randomUUID(),
    customerId,
    textId,
    outcome,
    overrideRisk: given ? requireProbability(input.overrideRisk, 'overrideRisk') : null,
    note: optionalText(input.note, 'note'),
    at: timestamp(input.at, 'at'),
  };
}

export class SqliteFeedbackRepository implements FeedbackRepository {
  private readonly insertStmt: Statement;
  private readonly textOwnerStmt: Statement<[string], { customer_id: string | null }>;
  private readonly labelledStmt: Statement<[], { outcome: Outcome; risk: number }>;

  constructor(private readonly ex: Executor) {
    const db = ex.db;
    this.insertStmt = db.prepare(`
      INSERT INTO feedback (id, customer_id, text_id, outcome, override_risk, note, at)
      VALUES (@id, @customerId, @textId, @outcome, @overrideRisk, @note, @at)`);
    this.textOwnerStmt = db.prepare('SELECT customer_id FROM texts WHERE id = ?');
    this.labelledStmt = db.prepare(`
      SELECT outcome, risk FROM (
        SELECT f.outcome,
          CASE WHEN f.text_id IS NOT NULL THEN
            (SELECT s.risk FROM scores s WHERE s.text_id = f.text_id ORDER BY s.created_at DESC, s.id DESC LIMIT 1)
          ELSE
            (SELECT s.risk FROM scores s JOIN texts t ON t.id = s.text_id WHERE t.customer_id = f.customer_id
             ORDER BY t.created_at DESC, t.rowid DESC, s.created_at DESC, s.id DESC LIMIT 1)
          END AS risk
        FROM feedback f
        WHERE f.outcome IN ('churned', 'retained')
        ORDER BY f.at, f.id)
      WHERE risk IS NOT NULL`);
  }

  async insert(input: FeedbackInput): Promise<string> {
    const params = validate(input);
    await this.ex.write(() => {
      if (params.textId !== null) {
        const text = this.textOwnerStmt.get(params.textId);
        if (!text) throw new NotFoundError(`text ${params.textId} does not exist`, { field: 'textId' });
        if (params.customerId !== null && text.customer_id !== null && params.customerId !== text.customer_id) {
          throw new ValidationError(`text ${params.textId} belongs to another customer`, { field: 'customerId' });
        }
        // Stored on the row so that erasing the customer finds the feedback even without the text.
        params.customerId ??= text.customer_id;
      }
      this.insertStmt.run(params);
    });
    return params.id;
  }

  async labelledScores(): Promise<LabelledScore[]> {
    return this.ex.read(() =>
      this.labelledStmt.all().map((r): LabelledScore => ({ risk: r.risk, label: r.outcome === 'churned' ? 1 : 0 })),
    );
  }
}
