// The alert delivery log on PostgreSQL: one row per alert sent or being retried; updates lock the row they change.
import { NotFoundError } from '../../errors';
import { claimParams, deliveryParams, patchedDelivery } from '../admin-params';
import type {
  AlertClaimInput,
  AlertDeliveryInput,
  AlertDeliveryPatch,
  AlertDeliveryRecord,
  DeliveryStatus,
} from '../records';
import type { AlertLogRepository } from '../types';
import { optionalId, pageOf, requireId, requirePlainObject } from '../values';
import { translateConstraint } from './pg-errors';
import type { PgExecutor } from './pg-executor';

interface DeliveryRow {
  id: string;
  rule_id: string;
  customer_id: string | null;
  text_id: string | null;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  payload: unknown;
  created_at: string;
  updated_at: string;
}

const deliveryRecord = (r: DeliveryRow): AlertDeliveryRecord => ({
  id: r.id,
  ruleId: r.rule_id,
  customerId: r.customer_id,
  textId: r.text_id,
  status: r.status,
  attempts: r.attempts,
  lastError: r.last_error,
  payload: r.payload,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const DELIVERY_COLUMNS =
  'id, rule_id, customer_id, text_id, status, attempts, last_error, payload, created_at, updated_at';

export class PgAlertLogRepository implements AlertLogRepository {
  constructor(private readonly ex: PgExecutor) {}

  async record(input: AlertDeliveryInput): Promise<string> {
    const p = deliveryParams(input);
    try {
      await this.ex.statement(
        `INSERT INTO alert_log (${DELIVERY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
        [p.id, p.ruleId, p.customerId, p.textId, p.status, p.attempts, p.lastError, p.payload, p.now],
      );
    } catch (e) {
      translateConstraint(e, {
        missingReference: `alert rule ${p.ruleId} or text ${p.textId} does not exist`,
        field: 'ruleId',
      });
    }
    return p.id;
  }

  async claim(input: AlertClaimInput): Promise<string | null> {
    const p = claimParams(input);
    try {
      // The unique (rule_id, claim) index decides between replicas: the loser's insert does nothing and returns no row.
      const { rowCount } = await this.ex.statement(
        `INSERT INTO alert_log (${DELIVERY_COLUMNS}, claim) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)
         ON CONFLICT (rule_id, claim) DO NOTHING`,
        [p.id, p.ruleId, p.customerId, p.textId, p.status, p.attempts, p.lastError, p.payload, p.now, p.claim],
      );
      return rowCount === 1 ? p.id : null;
    } catch (e) {
      return translateConstraint(e, {
        missingReference: `alert rule ${p.ruleId} or text ${p.textId} does not exist`,
        field: 'ruleId',
      });
    }
  }

  async update(id: string, patch: AlertDeliveryPatch): Promise<AlertDeliveryRecord> {
    requireId(id, 'id');
    requirePlainObject(patch, 'patch');
    return this.ex.write(async () => {
      const [current] = await this.ex.rows<DeliveryRow>(
        `SELECT ${DELIVERY_COLUMNS} FROM alert_log WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!current) throw new NotFoundError(`alert delivery ${id} does not exist`, { field: 'id' });
      const p = patchedDelivery(current, patch);
      const [row] = await this.ex.rows<DeliveryRow>(
        `UPDATE alert_log SET status = $2, attempts = $3, last_error = $4, updated_at = $5 WHERE id = $1
         RETURNING ${DELIVERY_COLUMNS}`,
        [id, p.status, p.attempts, p.lastError, p.now],
      );
      return deliveryRecord(row);
    });
  }

  async list(opts: { ruleId?: string; limit: number }): Promise<AlertDeliveryRecord[]> {
    const { limit } = pageOf(opts);
    const ruleId = optionalId(opts.ruleId, 'ruleId');
    const rows = await this.ex.rows<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM alert_log WHERE $1::text IS NULL OR rule_id = $1
       ORDER BY created_at DESC, seq DESC LIMIT $2`,
      [ruleId, limit],
    );
    return rows.map(deliveryRecord);
  }
}
