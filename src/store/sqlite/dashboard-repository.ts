// Aggregates for the dashboard: how risk is distributed over texts, and which customers are most at risk now.
import type { Statement } from 'better-sqlite3';
import type { AtRiskCustomerRecord, RiskDistribution, RiskDistributionQuery } from '../dashboard-records';
import type { Executor } from './executor';
import type { Band } from '../records';
import type { DashboardRepository } from '../types';
import { distributionParams, histogram } from '../query-params';
import { fromJson, pageOf } from '../values';

interface DistributionParams {
  bins: number;
  from: string | null;
  before: string | null;
  source: string | null;
}

interface AtRiskRow {
  id: string;
  risk: number;
  band: Band;
  drivers: string;
  last_text_at: string;
  segment: string | null;
}

export class SqliteDashboardRepository implements DashboardRepository {
  private readonly distributionStmt: Statement<DistributionParams, { bin: number; count: number }>;
  private readonly atRiskStmt: Statement<{ limit: number }, AtRiskRow>;

  constructor(private readonly ex: Executor) {
    const db = ex.db;
    // Each text counts once, with its newest score: re-scoring by a new model must not count a text twice.
    // A risk of exactly 1 belongs to the last bin, not to a bin of its own.
    this.distributionStmt = db.prepare(`
      SELECT MIN(CAST(risk * @bins AS INTEGER), @bins - 1) AS bin, COUNT(*) AS count FROM (
        SELECT s.risk, ROW_NUMBER() OVER (PARTITION BY s.text_id ORDER BY s.created_at DESC, s.id DESC) AS n
        FROM scores s JOIN texts t ON t.id = s.text_id
        WHERE (@from IS NULL OR t.created_at >= @from)
          AND (@before IS NULL OR t.created_at < @before)
          AND (@source IS NULL OR t.source = @source))
      WHERE n = 1
      GROUP BY bin`);
    // Same ordering as ScoreRepository.latestForCustomer, for every customer at once.
    this.atRiskStmt = db.prepare(`
      SELECT l.customer_id AS id, l.risk, l.band, l.drivers, l.last_text_at, c.segment FROM (
        SELECT t.customer_id, s.risk, s.band, s.drivers, t.created_at AS last_text_at,
               ROW_NUMBER() OVER (PARTITION BY t.customer_id ORDER BY t.created_at DESC, t.rowid DESC, s.created_at DESC, s.id DESC) AS n
        FROM scores s JOIN texts t ON t.id = s.text_id
        WHERE t.customer_id IS NOT NULL) l
      LEFT JOIN customers c ON c.id = l.customer_id
      WHERE l.n = 1
      ORDER BY l.risk DESC, l.customer_id
      LIMIT @limit`);
  }

  async riskDistribution(query: RiskDistributionQuery): Promise<RiskDistribution> {
    const params: DistributionParams = distributionParams(query);
    const rows = await this.ex.read(() => this.distributionStmt.all(params));
    return histogram(params.bins, rows);
  }

  async atRiskCustomers(opts: { limit: number }): Promise<AtRiskCustomerRecord[]> {
    const { limit } = pageOf(opts);
    const rows = await this.ex.read(() => this.atRiskStmt.all({ limit }));
    return rows.map((row) => ({
      id: row.id,
      risk: row.risk,
      band: row.band,
      segment: row.segment,
      lastTextAt: row.last_text_at,
      drivers: fromJson(row.drivers),
    }));
  }
}
