// The registry of model bundles and which one serves; a partial unique index keeps at most one active.
import type { Statement } from 'better-sqlite3';
import { NotFoundError } from '../../errors';
import type { Executor } from './executor';
import type { ModelInput, ModelRecord } from '../records';
import { translateConstraint } from './sqlite-errors';
import type { ModelRepository } from '../types';
import { modelParams } from '../input-params';
import { fromJson, requireId } from '../values';

interface ModelRow {
  version: string;
  path: string;
  metrics: string;
  active: number;
  registered_at: string;
}

function toRecord(row: ModelRow): ModelRecord {
  return {
    version: row.version,
    path: row.path,
    metrics: fromJson(row.metrics),
    active: row.active === 1,
    registeredAt: row.registered_at,
  };
}

export class SqliteModelRepository implements ModelRepository {
  private readonly insertStmt: Statement;
  private readonly getStmt: Statement<[string], ModelRow>;
  private readonly listStmt: Statement<[], ModelRow>;
  private readonly activeStmt: Statement<[], ModelRow>;
  private readonly deactivateStmt: Statement<[]>;
  private readonly activateStmt: Statement<[string]>;

  constructor(private readonly ex: Executor) {
    const db = ex.db;
    this.insertStmt = db.prepare(`
      INSERT INTO models (version, path, metrics, active, registered_at) VALUES (@version, @path, @metrics, 0, @at)`);
    this.getStmt = db.prepare('SELECT * FROM models WHERE version = ?');
    this.listStmt = db.prepare('SELECT * FROM models ORDER BY registered_at DESC, rowid DESC');
    this.activeStmt = db.prepare('SELECT * FROM models WHERE active = 1');
    this.deactivateStmt = db.prepare('UPDATE models SET active = 0 WHERE active = 1');
    this.activateStmt = db.prepare('UPDATE models SET active = 1 WHERE version = ?');
  }

  async register(input: ModelInput): Promise<ModelRecord> {
    const params = modelParams(input);
    return this.ex.write(() => {
      try {
        this.insertStmt.run(params);
      } catch (e) {
        translateConstraint(e, {
          duplicate: `model version ${params.version} is already registered`,
          field: 'version',
        });
      }
      return toRecord(this.getStmt.get(params.version)!);
    });
  }

  async list(): Promise<ModelRecord[]> {
    return this.ex.read(() => this.listStmt.all().map(toRecord));
  }

  async get(version: string): Promise<ModelRecord | null> {
    requireId(version, 'version');
    return this.ex.read(() => {
      const row = this.getStmt.get(version);
      return row ? toRecord(row) : null;
    });
  }

  async activate(version: string): Promise<ModelRecord> {
    requireId(version, 'version');
    return this.ex.write(() => {
      if (!this.getStmt.get(version))
        throw new NotFoundError(`model version ${version} is not registered`, { field: 'version' });
      this.deactivateStmt.run();
      this.activateStmt.run(version);
      return toRecord(this.getStmt.get(version)!);
    });
  }

  async active(): Promise<ModelRecord | null> {
    return this.ex.read(() => {
      const row = this.activeStmt.get();
      return row ? toRecord(row) : null;
    });
  }
}
