// Shapes of what the store accepts and returns: plain data, timestamps as ISO-8601 UTC strings, JSON already parsed.

import type { Band } from '../score/bands';
import type { TextSource } from '../text/text-source';

export type { Band, TextSource };
export type Outcome = 'churned' | 'retained' | 'override';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface CustomerInput {
  id: string;
  features: Record<string, unknown>;
  /** undefined keeps the stored segment on update (none on insert); null clears it. */
  segment?: string | null;
}
export interface CustomerRecord {
  id: string;
  features: Record<string, unknown>;
  segment: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TextInput {
  id?: string;
  customerId?: string | null;
  source: TextSource;
  /** Raw or redacted text; null when the text must not be kept (only its hash is). */
  text: string | null;
  hash: string;
  /** A short redacted excerpt for display (src/privacy prepareForStorage makes it). */
  snippet?: string | null;
  createdAt?: string | Date;
}
export interface TextRecord {
  id: string;
  customerId: string | null;
  source: TextSource;
  text: string | null;
  hash: string;
  /** Absent for texts stored without one. */
  snippet?: string;
  createdAt: string;
}

export interface ScoreInput {
  textId: string;
  modelVersion: string;
  risk: number;
  textRisk: number;
  tabularRisk: number | null;
  band: Band;
  drivers: unknown;
  embedding?: Float32Array;
  /** Per-text drift values (see src/drift): tokens in the text, rare-token share of its first window, cosine distance to the model's validation centroid. */
  tokens?: number | null;
  rareShare?: number | null;
  centroidDistance?: number | null;
  createdAt?: string | Date;
}
export interface ScoreRecord extends Omit<
  ScoreInput,
  'embedding' | 'createdAt' | 'tokens' | 'rareShare' | 'centroidDistance'
> {
  id: number;
  embedding: Float32Array | null;
  createdAt: string;
}
export interface ScoreHistoryEntry {
  textId: string;
  source: TextSource;
  /** When the customer wrote the text. */
  createdAt: string;
  /** When this score was computed (a text re-scored by a newer model appears once per score). */
  scoredAt: string;
  risk: number;
  textRisk: number;
  band: Band;
  modelVersion: string;
  /** First characters of the stored text; null when the text was not kept. */
  snippet: string | null;
}
/** Over the latest score of each of a customer's texts; weights halve every halfLifeDays of text age. */
export interface TextRiskAggregates {
  latest: number;
  max: number;
  recencyWeightedMean: number;
  count: number;
}

/** A score by the shadow model: stored apart from the served scores, compared with them on feedback. */
export interface ShadowScoreInput {
  textId: string;
  modelVersion: string;
  /** Calibrated text risk by the shadow model (no fusion: the comparison is of text models). */
  risk: number;
  createdAt?: string | Date;
}

/** A shadow score paired with an outcome, and the served model's text risk on the same text (null: none stored). */
export interface ShadowLabelledScore extends LabelledScore {
  servedTextRisk: number | null;
}

export interface FeedbackInput {
  customerId?: string | null;
  textId?: string | null;
  outcome: Outcome;
  /** Required for 'override', refused otherwise. */
  overrideRisk?: number | null;
  note?: string | null;
  at?: string | Date;
}
export interface LabelledScore {
  risk: number;
  label: 0 | 1;
  /** The model that made the paired score, and the source of the scored text: live quality is split by both. */
  modelVersion: string;
  source: TextSource;
}
/** A churned/retained outcome with the text it is about, for retraining (`churnscope retrain`). */
export interface OutcomeText {
  textId: string;
  /** null when the text was stored without its words (privacy.storeText 'none'): nothing to train on. */
  text: string | null;
  source: TextSource;
  label: 0 | 1;
  /** When the outcome was reported. */
  at: string;
}

export interface ModelInput {
  version: string;
  path: string;
  metrics: unknown;
}
export interface ModelRecord extends ModelInput {
  active: boolean;
  registeredAt: string;
}

export interface AlertRuleInput {
  name: string;
  condition: unknown;
  action: unknown;
  enabled: boolean;
}
export interface AlertRuleRecord extends AlertRuleInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

export interface AlertDeliveryInput {
  ruleId: string;
  customerId?: string | null;
  textId?: string | null;
  status: DeliveryStatus;
  attempts: number;
  lastError?: string | null;
  payload: unknown;
}
/** A delivery that only one writer may make: at most one row per (rule, claim) is ever stored. */
export interface AlertClaimInput extends AlertDeliveryInput {
  claim: string;
}
export type AlertDeliveryPatch = Partial<Pick<AlertDeliveryInput, 'status' | 'attempts' | 'lastError'>>;
export interface AlertDeliveryRecord {
  id: string;
  ruleId: string;
  customerId: string | null;
  textId: string | null;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  payload: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface JobInput {
  /** A new UUID unless given (batch jobs name their folder before the row exists). */
  id?: string;
  input: unknown;
  state?: JobState;
}
export interface JobPatch {
  state?: JobState;
  cursor?: unknown;
  counts?: unknown;
  error?: string | null;
}
export interface JobRecord {
  id: string;
  state: JobState;
  input: unknown;
  cursor: unknown;
  counts: unknown;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Page {
  limit: number;
  offset?: number;
}

export type ApiKeyScope = 'score' | 'read' | 'admin';
export interface ApiKeyInput {
  /** The public part of the key, shown in listings and used to revoke it. */
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  /** SHA-256 (hex) of the key's secret; the secret itself is never stored. */
  hash: string;
  /** Requests per rate-limit window for this key; null: the server's default. */
  rateLimit?: number | null;
  createdAt?: string | Date;
}
export interface ApiKeyRecord {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  rateLimit: number | null;
  createdAt: string;
  revokedAt: string | null;
}
/** What verifying a presented key needs; only the auth module asks for it. */
export interface ApiKeyCredential extends ApiKeyRecord {
  hash: string;
}
