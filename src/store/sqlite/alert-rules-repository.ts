// Alert rules: a condition and an action, both opaque JSON here; the alerting module gives them meaning.
import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { NotFoundError } from '../../errors';
import type { Executor } from './executor';
import type { AlertRuleInput, AlertRuleRecord } from '../records';
import { translateConstraint } from './sqlite-errors';
import type { AlertRuleRepository } from '../types';
import { alertRuleParams } from '../admin-params';
import { stripUndefined } from '../input-params';
import { fromJson, requireId, requirePlainObject } from '../values';

interface AlertRuleRow {
  id: string;
  name: string;
  condition: string;
  action: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}

interface RuleParams {
  name: string;
  condition: string;
  action: string;
  enabled: number;
}

function toRecord(row: AlertRuleRow): AlertRuleRecord {
  return {
    id: row.id,
    name: row.name,
    condition: fromJson(row.condition),
    action: fromJson(row.action),
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toParams(input: AlertRuleInput): RuleParams {
  const params = alertRuleParams(input);
  return { ...params, enabled: params.enabled ? 1 : 0 };
}

export class SqliteAlertRuleRepository implements AlertRuleRepository {
  private readonly insertStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly getStmt: Statement<[string], AlertRuleRow>;
  private readonly listStmt: Statement<[], AlertRuleRow>;
  private readonly deleteStmt: Statement<[string]>;

  constructor(private readonly ex: Executor) {
    const db = ex.db;
    this.insertStmt = db.prepare(`
      INSERT INTO alert_rules (id, name, condition, action, enabled, created_at, updated_at)
      VALUES (@id, @name, @condition, @action, @enabled, @now, @now)`);
    this.updateStmt = db.prepare(`
      UPDATE alert_rules SET name = @name, condition = @condition, action = @action, enabled = @enabled, updated_at = @now
      WHERE id = @id`);
    this.getStmt = db.prepare('SELECT * FROM alert_rules WHERE id = ?');
    this.listStmt = db.prepare('SELECT * FROM alert_rules ORDER BY name');
    this.deleteStmt = db.prepare('DELETE FROM alert_rules WHERE id = ?');
  }

  async create(input: AlertRuleInput): Promise<AlertRuleRecord> {
    const params = { ...toParams(input), id: randomUUID(), now: new Date().toISOString() };
    return this.ex.write(() => {
      this.run(this.insertStmt, params);
      return toRecord(this.getStmt.get(params.id)!);
    });
  }

  async get(id: string): Promise<AlertRuleRecord | null> {
    requireId(id, 'id');
    return this.ex.read(() => {
      const row = this.getStmt.get(id);
      return row ? toRecord(row) : null;
    });
  }

  async list(): Promise<AlertRuleRecord[]> {
    return this.ex.read(() => this.listStmt.all().map(toRecord));
  }

  async update(id: string, patch: Partial<AlertRuleInput>): Promise<AlertRuleRecord> {
    requireId(id, 'id');
    requirePlainObject(patch, 'patch');
    return this.ex.write(() => {
      const current = this.getStmt.get(id);
      if (!current) throw new NotFoundError(`alert rule ${id} does not exist`, { field: 'id' });
      // Validate the merged rule, so a patch cannot leave a field the full input would refuse.
      const merged = { ...toRecord(current), ...stripUndefined(patch) };
      this.run(this.updateStmt, { ...toParams(merged), id, now: new Date().toISOString() });
      return toRecord(this.getStmt.get(id)!);
    });
  }

  async delete(id: string): Promise<void> {
    requireId(id, 'id');
    await this.ex.write(() => {
      if (this.deleteStmt.run(id).changes === 0)
        throw new NotFoundError(`alert rule ${id} does not exist`, { field: 'id' });
    });
  }

  private run(stmt: Statement, params: RuleParams & { id: string; now: string }): void {
    try {
      stmt.run(params);
    } catch (e) {
      translateConstraint(e, { duplicate: `an alert rule named "${params.name}" already exists`, field: 'name' });
    }
  }
}
