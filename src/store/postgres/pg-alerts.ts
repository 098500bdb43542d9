// Alert rules and their delivery log on PostgreSQL; read-modify-write paths lock the row they change.
import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../../errors';
import { alertRuleParams, deliveryParams, patchedDelivery } from '../admin-params';
import { stripUndefined } from '../input-params';
import type {
  AlertDeliveryInput,
  AlertDeliveryPatch,
  AlertDeliveryRecord,
  AlertRuleInput,
  AlertRuleRecord,
  DeliveryStatus,
} from '../records';
import type { AlertLogRepository, AlertRuleRepository } from '../types';
import { optionalId, pageOf, requireId, requirePlainObject } from '../values';
import { translateConstraint } from './pg-errors';
import type { PgExecutor } from './pg-executor';

interface AlertRuleRow {
  id: string;
  name: string;
  condition: unknown;
  action: unknown;
  enabled: boolean;
  created_at: string;
  updated_at: string;
}

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

const ruleRecord = (r: AlertRuleRow): AlertRuleRecord => ({
  id: r.id,
  name: r.name,
  condition: r.condition,
  action: r.action,
  enabled: r.enabled,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

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

export class PgAlertRuleRepository implements AlertRuleRepository {
  constructor(private readonly ex: PgExecutor) {}

  async create(input: AlertRuleInput): Promise<AlertRuleRecord> {
    const p = alertRuleParams(input);
    const id = randomUUID();
    const now = new Date().toISOString();
    const [row] = await this.named(p.name, () =>
      this.ex.statement<AlertRuleRow>(
        `INSERT INTO alert_rules (id, name, condition, action, enabled, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *`,
        [id, p.name, p.condition, p.action, p.enabled, now],
      ),
    );
    return ruleRecord(row);
  }

  async get(id: string): Promise<AlertRuleRecord | null> {
    requireId(id, 'id');
    const [row] = await this.ex.rows<AlertRuleRow>('SELECT * FROM alert_rules WHERE id = $1', [id]);
    return row ? ruleRecord(row) : null;
  }

  async list(): Promise<AlertRuleRecord[]> {
    return (await this.ex.rows<AlertRuleRow>('SELECT * FROM alert_rules ORDER BY name COLLATE "C"')).map(ruleRecord);
  }

  async update(id: string, patch: Partial<AlertRuleInput>): Promise<AlertRuleRecord> {
    requireId(id, 'id');
    requirePlainObject(patch, 'patch');
    return this.ex.write(async () => {
      const [current] = await this.ex.rows<AlertRuleRow>('SELECT * FROM alert_rules WHERE id = $1 FOR UPDATE', [id]);
      if (!current) throw new NotFoundError(`alert rule ${id} does not exist`, { field: 'id' });
      // Validate the merged rule, so a patch cannot leave a field the full input would refuse.
      const p = alertRuleParams({ ...ruleRecord(current), ...stripUndefined(patch) });
      const [row] = await this.named(p.name, () =>
        this.ex.statement<AlertRuleRow>(
          `UPDATE alert_rules SET name = $2, condition = $3, action = $4, enabled = $5, updated_at = $6
           WHERE id = $1 RETURNING *`,
          [id, p.name, p.condition, p.action, p.enabled, new Date().toISOString()],
        ),
      );
      return ruleRecord(row);
    });
  }

  async delete(id: string): Promise<void> {
    requireId(id, 'id');
    const result = await this.ex.statement('DELETE FROM alert_rules WHERE id = $1', [id]);
    if (result.rowCount === 0) throw new NotFoundError(`alert rule ${id} does not exist`, { field: 'id' });
  }

  private async named(name: string, run: () => Promise<{ rows: AlertRuleRow[] }>): Promise<AlertRuleRow[]> {
    try {
      return (await run()).rows;
    } catch (e) {
      return translateConstraint(e, { duplicate: `an alert rule named "${name}" already exists`, field: 'name' });
    }
  }
}

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
