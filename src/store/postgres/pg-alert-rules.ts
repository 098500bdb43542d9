// Alert rules on PostgreSQL: a condition and an action as JSON; updates lock the row they change.
import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../../errors';
import { alertRuleParams } from '../admin-params';
import { stripUndefined } from '../input-params';
import type { AlertRuleInput, AlertRuleRecord } from '../records';
import type { AlertRuleRepository } from '../types';
import { requireId, requirePlainObject } from '../values';
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

const ruleRecord = (r: AlertRuleRow): AlertRuleRecord => ({
  id: r.id,
  name: r.name,
  condition: r.condition,
  action: r.action,
  enabled: r.enabled,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

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
