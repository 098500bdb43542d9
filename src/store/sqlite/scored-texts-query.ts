// Read side of the themes engine: stored texts with their newest score and embedding, filtered; customer outcomes.
import type { Statement } from 'better-sqlite3';
import type { Executor } from './executor';
import type { TextSource } from '../records';
import type { CustomerOutcome, ScoredTextQuery, ScoredTextRecord, ScoredTextsRevision } from '../themes-records';
import type { ScoredTextRepository } from '../types';
import type { DriftValueRecord, DriftValuesQuery } from '../drift-records';
import { driftValuesParams, scoredTextParams } from '../query-params';
import { blobToEmbedding } from '../values';

interface Row {
  text_id: string;
  customer_id: string | null;
  segment: string | null;
  source: TextSource;
  text: string | null;
  created_at: string;
  risk: number;
  text_risk: number;
  embedding: Buffer;
}

interface Params {
  from: string | null;
  to: string | null;
  source: string | null;
  segment: string | null;
}

interface DriftRow {
  source: TextSource;
  text_risk: number;
  tokens: number | null;
  rare_share: number | null;
  centroid_distance: number | null;
}

type DriftParams = ReturnType<typeof driftValuesParams>;

export class SqliteScoredTextRepository implements ScoredTextRepository {
  private readonly listStmt: Statement<Params, Row>;
  private readonly driftStmt: Statement<DriftParams, DriftRow>;
  private readonly revisionStmt: Statement<[], { max_id: number | null; n: number }>;
  private readonly outcomesStmt: Statement<[], { customer_id: string; outcome: 'churned' | 'retained' }>;

  constructor(private readonly ex: Executor) {
    const db = ex.db;
    // Only each text's newest score counts (a re-scored text appears once); a filter left null matches everything.
    this.listStmt = db.prepare(`
      SELECT t.id AS text_id, t.customer_id, c.segment, t.source, COALESCE(t.text, t.snippet) AS text, t.created_at,
             s.risk, s.text_risk, s.embedding
      FROM texts t
      JOIN scores s ON s.id = (SELECT id FROM scores WHERE text_id = t.id ORDER BY created_at DESC, id DESC LIMIT 1)
      LEFT JOIN customers c ON c.id = t.customer_id
      WHERE s.embedding IS NOT NULL
        AND (@from IS NULL OR t.created_at >= @from)
        AND (@to IS NULL OR t.created_at < @to)
        AND (@source IS NULL OR t.source = @source)
        AND (@segment IS NULL OR c.segment = @segment)
      ORDER BY t.created_at, t.rowid`);
    // The same newest-score rule as listStmt; only the columns drift needs, no text or embedding.
    this.driftStmt = db.prepare(`
      SELECT t.source, s.text_risk, s.tokens, s.rare_share, s.centroid_distance
      FROM texts t
      JOIN scores s ON s.id = (SELECT id FROM scores WHERE text_id = t.id ORDER BY created_at DESC, id DESC LIMIT 1)
      WHERE s.model_version = @modelVersion
        AND (@from IS NULL OR t.created_at >= @from)
        AND (@to IS NULL OR t.created_at < @to)
        AND (@source IS NULL OR t.source = @source)
      ORDER BY t.created_at, t.rowid`);
    this.revisionStmt = db.prepare('SELECT max(id) AS max_id, count(*) AS n FROM scores');
    // Customer-level feedback names the customer; text-level feedback is traced to the text's customer.
    this.outcomesStmt = db.prepare(`
      SELECT COALESCE(f.customer_id, t.customer_id) AS customer_id, f.outcome
      FROM feedback f LEFT JOIN texts t ON t.id = f.text_id
      WHERE f.outcome IN ('churned', 'retained') AND COALESCE(f.customer_id, t.customer_id) IS NOT NULL
      ORDER BY f.at, f.rowid`);
  }

  async list(query: ScoredTextQuery = {}): Promise<ScoredTextRecord[]> {
    const params: Params = scoredTextParams(query);
    return this.ex.read(() =>
      this.listStmt.all(params).map((r) => ({
        textId: r.text_id,
        customerId: r.customer_id,
        segment: r.segment,
        source: r.source,
        text: r.text,
        createdAt: r.created_at,
        risk: r.risk,
        textRisk: r.text_risk,
        embedding: blobToEmbedding(r.embedding)!,
      })),
    );
  }

  async driftValues(query: DriftValuesQuery): Promise<DriftValueRecord[]> {
    const params = driftValuesParams(query);
    return this.ex.read(() =>
      this.driftStmt.all(params).map((r) => ({
        source: r.source,
        textRisk: r.text_risk,
        tokens: r.tokens,
        rareShare: r.rare_share,
        centroidDistance: r.centroid_distance,
      })),
    );
  }

  async revision(): Promise<ScoredTextsRevision> {
    const row = await this.ex.read(() => this.revisionStmt.get()!);
    return { maxScoreId: row.max_id ?? 0, scores: row.n };
  }

  async outcomes(): Promise<CustomerOutcome[]> {
    const rows = await this.ex.read(() => this.outcomesStmt.all());
    const latest = new Map<string, boolean>();
    for (const r of rows) latest.set(r.customer_id, r.outcome === 'churned');
    return [...latest].map(([customerId, churned]) => ({ customerId, churned }));
  }
}
