// The model registry on PostgreSQL: a partial unique index keeps at most one active, a table lock orders activations.
import { NotFoundError } from '../../errors';
import { modelParams } from '../input-params';
import type { ModelInput, ModelRecord } from '../records';
import type { ModelRepository } from '../types';
import { requireId } from '../values';
import { translateConstraint } from './pg-errors';
import type { PgExecutor } from './pg-executor';
import { MODELS_CHANNEL } from './pg-notifications';

interface ModelRow {
  version: string;
  path: string;
  metrics: unknown;
  active: boolean;
  registered_at: string;
}

function toRecord(row: ModelRow): ModelRecord {
  return {
    version: row.version,
    path: row.path,
    metrics: row.metrics,
    active: row.active,
    registeredAt: row.registered_at,
  };
}

const COLUMNS = 'version, path, metrics, active, registered_at';

export class PgModelRepository implements ModelRepository {
  constructor(private readonly ex: PgExecutor) {}

  async register(input: ModelInput): Promise<ModelRecord> {
    const p = modelParams(input);
    try {
      const [row] = (
        await this.ex.statement<ModelRow>(
          `INSERT INTO models (version, path, metrics, active, registered_at) VALUES ($1, $2, $3, FALSE, $4)
         RETURNING ${COLUMNS}`,
          [p.version, p.path, p.metrics, p.at],
        )
      ).rows;
      return toRecord(row);
    } catch (e) {
      return translateConstraint(e, {
        duplicate: `model version ${p.version} is already registered`,
        field: 'version',
      });
    }
  }

  async list(): Promise<ModelRecord[]> {
    const rows = await this.ex.rows<ModelRow>(`SELECT ${COLUMNS} FROM models ORDER BY registered_at DESC, seq DESC`);
    return rows.map(toRecord);
  }

  async get(version: string): Promise<ModelRecord | null> {
    requireId(version, 'version');
    const [row] = await this.ex.rows<ModelRow>(`SELECT ${COLUMNS} FROM models WHERE version = $1`, [version]);
    return row ? toRecord(row) : null;
  }

  async activate(version: string): Promise<ModelRecord> {
    requireId(version, 'version');
    return this.ex.write(async () => {
      // Two replicas activating at once would otherwise both clear the flag and collide on the unique index.
      await this.ex.query('LOCK TABLE models IN SHARE ROW EXCLUSIVE MODE');
      if ((await this.ex.query('SELECT 1 FROM models WHERE version = $1', [version])).rowCount === 0)
        throw new NotFoundError(`model version ${version} is not registered`, { field: 'version' });
      await this.ex.query('UPDATE models SET active = FALSE WHERE active');
      const [row] = await this.ex.rows<ModelRow>(
        `UPDATE models SET active = TRUE WHERE version = $1 RETURNING ${COLUMNS}`,
        [version],
      );
      // Delivered when the transaction commits, to every replica listening (see pg-notifications).
      await this.ex.query('SELECT pg_notify($1, $2)', [MODELS_CHANNEL, version]);
      return toRecord(row);
    });
  }

  async active(): Promise<ModelRecord | null> {
    const [row] = await this.ex.rows<ModelRow>(`SELECT ${COLUMNS} FROM models WHERE active`);
    return row ? toRecord(row) : null;
  }
}
