// Dashboard aggregates on PostgreSQL: the risk histogram over texts and the customers most at risk now.
import { distributionParams, histogram } from '../query-params';
import type { AtRiskCustomerRecord, RiskDistribution, RiskDistributionQuery } from '../dashboard-records';
import type { Band } from '../records';
import type { DashboardRepository } from '../types';
import { pageOf } from '../values';
import type { PgExecutor } from './pg-executor';

interface AtRiskRow {
  id: string;
  risk: number;
  band: Band;
  drivers: unknown;
  last_text_at: string;
  segment: string | null;
}

// Each text counts once, with its newest score. FLOOR, not a cast: PostgreSQL rounds when casting to integer,
// SQLite truncates. A risk of exactly 1 belongs to the last bin.
const DISTRIBUTION = `
  SELECT LEAST(FLOOR(risk * $1)::int, $1 - 1) AS bin, COUNT(*)::int AS count FROM (
    SELECT s.risk, ROW_NUMBER() OVER (PARTITION BY s.text_id ORDER BY s.created_at DESC, s.id DESC) AS n
    FROM scores s JOIN texts t ON t.id = s.text_id
    WHERE ($2::timestamptz IS NULL OR t.created_at >= $2)
      AND ($3::timestamptz IS NULL OR t.created_at < $3)
      AND ($4::text IS NULL OR t.source = $4)) newest
  WHERE n = 1
  GROUP BY 1`;

// Same ordering as ScoreRepository.latestForCustomer, for every customer at once.
const AT_RISK = `
  SELECT l.customer_id AS id, l.risk, l.band, l.drivers, l.last_text_at, c.segment FROM (
    SELECT t.customer_id, s.risk, s.band, s.drivers, t.created_at AS last_text_at,
           ROW_NUMBER() OVER (PARTITION BY t.customer_id
                              ORDER BY t.created_at DESC, t.seq DESC, s.created_at DESC, s.id DESC) AS n
    FROM scores s JOIN texts t ON t.id = s.text_id
    WHERE t.customer_id IS NOT NULL) l
  LEFT JOIN customers c ON c.id = l.customer_id
  WHERE l.n = 1
  ORDER BY l.risk DESC, l.customer_id COLLATE "C"
  LIMIT $1`;

export class PgDashboardRepository implements DashboardRepository {
  constructor(private readonly ex: PgExecutor) {}

  async riskDistribution(query: RiskDistributionQuery): Promise<RiskDistribution> {
    const p = distributionParams(query);
    const rows = await this.ex.rows<{ bin: number; count: number }>(DISTRIBUTION, [p.bins, p.from, p.before, p.source]);
    return histogram(p.bins, rows);
  }

  async atRiskCustomers(opts: { limit: number }): Promise<AtRiskCustomerRecord[]> {
    const { limit } = pageOf(opts);
    const rows = await this.ex.rows<AtRiskRow>(AT_RISK, [limit]);
    return rows.map((row) => ({
      id: row.id,
      risk: row.risk,
      band: row.band,
      segment: row.segment,
      lastTextAt: row.last_text_at,
      drivers: row.drivers,
    }));
  }
}
