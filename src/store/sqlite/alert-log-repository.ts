// The delivery log of alerts: one row per alert sent (or being retried), updated as attempts succeed or fail.
import type { Statement } from 'better-sqlite3';
import { NotFoundError } from '../../errors';
import type { Executor } from './executor';
import type {
  AlertClaimInput,
  AlertDeliveryInput,
  AlertDeliveryPatch,
  AlertDeliveryRecord,
  DeliveryStatus,
} from '../records';
import { translateConstraint } from './sqlite-errors';
import type { AlertLogRepository } from '../types';
import { claimParams, deliveryParams, patchedDelivery } from '../admin-params';
import { fromJson, optionalId, pageOf, requireId, requirePlainObject } from '../values';

interface DeliveryRow {
  id: string;
  rule_id: string;
  customer_id: string | null;
  text_id: string | null;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  payload: string;
  created_at: string;
  updated_at: string;
}

function toRecord(row: DeliveryRow): AlertDeliveryRecord {
  return {
    id: row.id,
    ruleId: row.rule_id,
    customerId: row.customer_id,
    textId: row.text_id,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    payload: fromJson(row.payload),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class SqliteAlertLogRepository implements AlertLogRepository {
  private readonly insertStmt: Statement;
  private readonly claimStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly getStmt: Statement<[string], DeliveryRow>;
  private readonly listStmt: Statement<{ ruleId: string | null; limit: number }, DeliveryRow>;

  constructor(private readonly ex: Executor) {
    const db = ex.db;
    this.insertStmt = db.prepare(`
      INSERT INTO alert_log (id, rule_id, customer_id, text_id, status, attempts, last_error, payload, created_at, updated_at)
      VALUES (@id, @ruleId, @customerId, @textId, @status, @attempts, @lastError, @payload, @now, @now)`);
    this.claimStmt = db.prepare(`
      INSERT INTO alert_log (id, rule_id, customer_id, text_id, status, attempts, last_error, payload, created_at, updated_at, claim)
      VALUES (@id, @ruleId, @customerId, @textId, @status, @attempts, @lastError, @payload, @now, @now, @claim)
      ON CONFLICT (rule_id, claim) DO NOTHING`);
    this.updateStmt = db.prepare(`
      UPDATE alert_log SET status = @status, attempts = @attempts, last_error = @lastError, updated_at = @now WHERE id = @id`);
    this.getStmt = db.prepare('SELECT * FROM alert_log WHERE id = ?');
    this.listStmt = db.prepare(`
      SELECT * FROM alert_log WHERE @ruleId IS NULL OR rule_id = @ruleId
      ORDER BY created_at DESC, rowid DESC LIMIT @limit`);
  }

  async record(input: AlertDeliveryInput): Promise<string> {
    const params = deliveryParams(input);
    await this.ex.write(() => {
      try {
        this.insertStmt.run(params);
      } catch (e) {
        translateConstraint(e, {
          missingReference: `alert rule ${params.ruleId} or text ${params.textId} does not exist`,
          field: 'ruleId',
        });
      }
    });
    return params.id;
  }

  async claim(input: AlertClaimInput): Promise<string | null> {
    const params = claimParams(input);
    return this.ex.write(() => {
      try {
        // Several processes may share the file: the unique (rule_id, claim) index lets exactly one insert through.
        return this.claimStmt.run(params).changes === 1 ? params.id : null;
      } catch (e) {
        return translateConstraint(e, {
          missingReference: `alert rule ${params.ruleId} or text ${params.textId} does not exist`,
          field: 'ruleId',
        });
      }
    });
  }

  async update(id: string, patch: AlertDeliveryPatch): Promise<AlertDeliveryRecord> {
    requireId(id, 'id');
    requirePlainObject(patch, 'patch');
    return this.ex.write(() => {
      const current = this.getStmt.get(id);
      if (!current) throw new NotFoundError(`alert delivery ${id} does not exist`, { field: 'id' });
      this.updateStmt.run({ id, ...patchedDelivery(current, patch) });
      return toRecord(this.getStmt.get(id)!);
    });
  }

  async list(opts: { ruleId?: string; limit: number }): Promise<AlertDeliveryRecord[]> {
    const { limit } = pageOf(opts);
    const ruleId = optionalId(opts.ruleId, 'ruleId');
    return this.ex.read(() => this.listStmt.all({ ruleId, limit }).map(toRecord));
  }
}
