// Shapes the themes engine reads and writes: scored texts with their embeddings, customer outcomes, theme centroids.
import type { TextSource } from './records';

/** Every field optional; timestamps as ISO-8601, `to` exclusive. */
export interface ScoredTextQuery {
  from?: string | Date;
  to?: string | Date;
  source?: TextSource;
  /** Customers' segment (texts of customers without one never match). */
  segment?: string;
}

/** A stored text with its newest score; only texts whose newest score carries an embedding are listed. */
export interface ScoredTextRecord {
  textId: string;
  customerId: string | null;
  segment: string | null;
  source: TextSource;
  /** The stored text, else its redacted snippet, else null (only a hash was kept). */
  text: string | null;
  createdAt: string;
  /** Fused risk of the newest score. */
  risk: number;
  /** The text model's own calibrated risk of the newest score. */
  textRisk: number;
  embedding: Float32Array;
}

/** Changes whenever a score is written or deleted, so cached fits can tell they are stale. */
export interface ScoredTextsRevision {
  maxScoreId: number;
  scores: number;
}

export interface CustomerOutcome {
  customerId: string;
  /** The customer's latest churned/retained feedback. */
  churned: boolean;
}

export interface ThemeInput {
  id: string;
  centroid: Float32Array;
  label: string;
  keywords: string[];
}
export interface ThemeRecord extends ThemeInput {
  createdAt: string;
  updatedAt: string;
}
