// The themes engine's data on PostgreSQL: scored texts with embeddings, customer outcomes, and theme centroids.
import { themeRows } from '../admin-params';
import type { DriftValueRecord, DriftValuesQuery } from '../drift-records';
import { driftValuesParams, scoredTextParams } from '../query-params';
import type { TextSource } from '../records';
import type {
  CustomerOutcome,
  ScoredTextQuery,
  ScoredTextRecord,
  ScoredTextsRevision,
  ThemeInput,
  ThemeRecord,
} from '../themes-records';
import type { ScoredTextRepository, ThemeRepository } from '../types';
import { blobToEmbedding } from '../values';
import type { PgExecutor } from './pg-executor';

interface ScoredRow {
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

interface ThemeRow {
  id: string;
  centroid: Buffer;
  label: string;
  keywords: string[];
  created_at: string;
  updated_at: string;
}

// Only each text's newest score counts (a re-scored text appears once); a filter left null matches everything.
const SCORED = `
  SELECT t.id AS text_id, t.customer_id, c.segment, t.source, COALESCE(t.text, t.snippet) AS text, t.created_at,
         s.risk, s.text_risk, s.embedding
  FROM texts t
  JOIN scores s ON s.id = (SELECT id FROM scores WHERE text_id = t.id ORDER BY created_at DESC, id DESC LIMIT 1)
  LEFT JOIN customers c ON c.id = t.customer_id
  WHERE s.embedding IS NOT NULL
    AND ($1::timestamptz IS NULL OR t.created_at >= $1)
    AND ($2::timestamptz IS NULL OR t.created_at < $2)
    AND ($3::text IS NULL OR t.source = $3)
    AND ($4::text IS NULL OR c.segment = $4)
  ORDER BY t.created_at, t.seq`;

// Customer-level feedback names the customer; text-level feedback is traced to the text's customer.
const OUTCOMES = `
  SELECT COALESCE(f.customer_id, t.customer_id) AS customer_id, f.outcome
  FROM feedback f LEFT JOIN texts t ON t.id = f.text_id
  WHERE f.outcome IN ('churned', 'retained') AND COALESCE(f.customer_id, t.customer_id) IS NOT NULL
  ORDER BY f.at, f.seq`;

// The same newest-score rule as SCORED; only the columns drift needs, no text or embedding.
const DRIFT_VALUES = `
  SELECT t.source, s.text_risk, s.tokens, s.rare_share, s.centroid_distance
  FROM texts t
  JOIN scores s ON s.id = (SELECT id FROM scores WHERE text_id = t.id ORDER BY created_at DESC, id DESC LIMIT 1)
  WHERE s.model_version = $1
    AND ($2::timestamptz IS NULL OR t.created_at >= $2)
    AND ($3::timestamptz IS NULL OR t.created_at < $3)
    AND ($4::text IS NULL OR t.source = $4)
  ORDER BY t.created_at, t.seq`;

interface DriftRow {
  source: TextSource;
  text_risk: number;
  tokens: number | null;
  rare_share: number | null;
  centroid_distance: number | null;
}

export class PgScoredTextRepository implements ScoredTextRepository {
  constructor(private readonly ex: PgExecutor) {}

  async list(query: ScoredTextQuery = {}): Promise<ScoredTextRecord[]> {
    const p = scoredTextParams(query);
    const rows = await this.ex.rows<ScoredRow>(SCORED, [p.from, p.to, p.source, p.segment]);
    return rows.map((r) => ({
      textId: r.text_id,
      customerId: r.customer_id,
      segment: r.segment,
      source: r.source,
      text: r.text,
      createdAt: r.created_at,
      risk: r.risk,
      textRisk: r.text_risk,
      embedding: blobToEmbedding(r.embedding)!,
    }));
  }

  async driftValues(query: DriftValuesQuery): Promise<DriftValueRecord[]> {
    const p = driftValuesParams(query);
    const rows = await this.ex.rows<DriftRow>(DRIFT_VALUES, [p.modelVersion, p.from, p.to, p.source]);
    return rows.map((r) => ({
      source: r.source,
      textRisk: r.text_risk,
      tokens: r.tokens,
      rareShare: r.rare_share,
      centroidDistance: r.centroid_distance,
    }));
  }

  async revision(): Promise<ScoredTextsRevision> {
    const [row] = await this.ex.rows<{ max_id: number | null; n: number }>(
      'SELECT max(id) AS max_id, count(*) AS n FROM scores',
    );
    return { maxScoreId: row.max_id ?? 0, scores: row.n };
  }

  async outcomes(): Promise<CustomerOutcome[]> {
    const rows = await this.ex.rows<{ customer_id: string; outcome: 'churned' | 'retained' }>(OUTCOMES);
    const latest = new Map<string, boolean>();
    for (const r of rows) latest.set(r.customer_id, r.outcome === 'churned');
    return [...latest].map(([customerId, churned]) => ({ customerId, churned }));
  }
}

export class PgThemeRepository implements ThemeRepository {
  constructor(private readonly ex: PgExecutor) {}

  async list(): Promise<ThemeRecord[]> {
    const rows = await this.ex.rows<ThemeRow>('SELECT * FROM themes ORDER BY created_at, id COLLATE "C"');
    return rows.map((r) => ({
      id: r.id,
      centroid: blobToEmbedding(r.centroid)!,
      label: r.label,
      keywords: r.keywords,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  async saveAll(themes: readonly ThemeInput[], at?: string | Date): Promise<void> {
    const rows = themeRows(themes, at);
    await this.ex.write(async () => {
      for (const r of rows) {
        await this.ex.query(
          `INSERT INTO themes (id, centroid, label, keywords, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
           ON CONFLICT (id) DO UPDATE SET centroid = excluded.centroid, label = excluded.label,
             keywords = excluded.keywords, updated_at = excluded.updated_at`,
          [r.id, r.centroid, r.label, r.keywords, r.now],
        );
      }
    });
  }
}
