// Shapes drift monitoring reads: each stored text's newest score with the per-text values recorded for drift.
import type { TextSource } from './records';

/** Timestamps as ISO-8601, `to` exclusive; only texts whose newest score came from `modelVersion`. */
export interface DriftValuesQuery {
  modelVersion: string;
  from?: string | Date;
  to?: string | Date;
  source?: TextSource;
}

export interface DriftValueRecord {
  source: TextSource;
  /** The text model's calibrated risk of the newest score. */
  textRisk: number;
  /** Null for scores written before these were recorded, or by a model without a drift reference. */
  tokens: number | null;
  rareShare: number | null;
  centroidDistance: number | null;
}
