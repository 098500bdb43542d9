// The schema's history, oldest first: append a new version, never edit one that has shipped.

import type { Migration } from '../migration';

export type { Migration };

// Texts, feedback and alert deliveries name a customer without a foreign key: texts can be scored for customers
// whose features were never uploaded, and erase() deletes by customer id explicitly. References to texts and rules
// do cascade, so nothing can outlive the row it describes.
const initialSchema = `
CREATE TABLE customers (
  id TEXT PRIMARY KEY,
  features TEXT NOT NULL,
  segment TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE texts (
  id TEXT PRIMARY KEY,
  customer_id TEXT,
  source TEXT NOT NULL CHECK (source IN ('feedback', 'review', 'chat', 'ticket')),
  text TEXT,
  hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX texts_by_customer ON texts (customer_id, created_at);
CREATE INDEX texts_by_hash ON texts (hash);

CREATE TABLE scores (
  id INTEGER PRIMARY KEY,
  text_id TEXT NOT NULL REFERENCES texts (id) ON DELETE CASCADE,
  model_version TEXT NOT NULL,
  risk REAL NOT NULL CHECK (risk BETWEEN 0 AND 1),
  text_risk REAL NOT NULL CHECK (text_risk BETWEEN 0 AND 1),
  tabular_risk REAL CHECK (tabular_risk BETWEEN 0 AND 1),
  band TEXT NOT NULL CHECK (band IN ('low', 'medium', 'high', 'critical')),
  drivers TEXT NOT NULL,
  embedding BLOB,
  created_at TEXT NOT NULL
);
CREATE INDEX scores_by_text ON scores (text_id, created_at);

CREATE TABLE feedback (
  id TEXT PRIMARY KEY,
  customer_id TEXT,
  text_id TEXT REFERENCES texts (id) ON DELETE CASCADE,
  outcome TEXT NOT NULL CHECK (outcome IN ('churned', 'retained', 'override')),
  override_risk REAL CHECK (override_risk BETWEEN 0 AND 1),
  note TEXT,
  at TEXT NOT NULL,
  CHECK (customer_id IS NOT NULL OR text_id IS NOT NULL)
);
CREATE INDEX feedback_by_customer ON feedback (customer_id);
CREATE INDEX feedback_by_text ON feedback (text_id);

CREATE TABLE models (
  version TEXT PRIMARY KEY,
  path TEXT NOT NULL,
  metrics TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
  registered_at TEXT NOT NULL
);
CREATE UNIQUE INDEX models_one_active ON models (active) WHERE active = 1;

CREATE TABLE alert_rules (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  condition TEXT NOT NULL,
  action TEXT NOT NULL,
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE alert_log (
  id TEXT PRIMARY KEY,
  rule_id TEXT NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
  customer_id TEXT,
  text_id TEXT REFERENCES texts (id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL CHECK (attempts >= 0),
  last_error TEXT,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX alert_log_by_rule ON alert_log (rule_id, created_at);
CREATE INDEX alert_log_by_customer ON alert_log (customer_id);
CREATE INDEX alert_log_by_text ON alert_log (text_id);

CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  input TEXT NOT NULL,
  cursor TEXT,
  counts TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX jobs_by_state ON jobs (state, created_at);

CREATE TABLE api_keys (
  hash TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  scopes TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
`;

// API keys are named by a public id (the "csk_<id>_" part of the key) so they can be listed and revoked without
// the secret; rate_limit overrides the server's per-key request limit for one key.
const apiKeyIds = `
ALTER TABLE api_keys ADD COLUMN id TEXT;
ALTER TABLE api_keys ADD COLUMN rate_limit INTEGER CHECK (rate_limit IS NULL OR rate_limit >= 1);
CREATE UNIQUE INDEX api_keys_by_id ON api_keys (id);
`;

// A redacted snippet is kept beside (or, with privacy.storeText 'none', instead of) the text, so listings can show
// something without the raw words; retention deletes texts by age, which needs an index on created_at alone.
const textSnippets = `
ALTER TABLE texts ADD COLUMN snippet TEXT;
CREATE INDEX texts_by_created ON texts (created_at);
`;

// Themes found over stored texts keep their id across refits: a new fit's clusters are matched to these centroids.
// The centroid is the theme's unit-length mean embedding (float32), so matching needs no texts.
const themes = `
CREATE TABLE themes (
  id TEXT PRIMARY KEY,
  centroid BLOB NOT NULL,
  label TEXT NOT NULL,
  keywords TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`;

// Per-key request counters in the database, for replicas that share it; one row per key, overwritten each window.
const rateLimits = `
CREATE TABLE rate_limits (
  key TEXT PRIMARY KEY,
  window_start TEXT NOT NULL,
  hits INTEGER NOT NULL CHECK (hits >= 0)
);
`;

// Claims for alert deliveries: replicas sharing a database each see the same scored words, and only the writer whose
// insert wins a (rule, claim) delivers. NULL claims (plain record()) never collide.
const alertClaims = `
ALTER TABLE alert_log ADD COLUMN claim TEXT;
CREATE UNIQUE INDEX alert_log_by_claim ON alert_log (rule_id, claim);
`;

// What drift monitoring compares with a bundle's reference, recorded when a text is scored (the risk is already there):
// tokens in the text, rare-token share of its first window, cosine distance of its embedding to the validation centroid.
const driftValues = `
ALTER TABLE scores ADD COLUMN tokens INTEGER CHECK (tokens IS NULL OR tokens >= 0);
ALTER TABLE scores ADD COLUMN rare_share REAL CHECK (rare_share IS NULL OR rare_share BETWEEN 0 AND 1);
ALTER TABLE scores ADD COLUMN centroid_distance REAL CHECK (centroid_distance IS NULL OR centroid_distance BETWEEN 0 AND 2);
`;

// Scores of the shadow model (config shadow): kept apart from `scores` so history, dashboards, drift and alerts,
// which all read a text's newest score, never see them; compared with the active model on feedback only.
const shadowScores = `
CREATE TABLE shadow_scores (
  id INTEGER PRIMARY KEY,
  text_id TEXT NOT NULL REFERENCES texts (id) ON DELETE CASCADE,
  model_version TEXT NOT NULL,
  risk REAL NOT NULL CHECK (risk BETWEEN 0 AND 1),
  created_at TEXT NOT NULL
);
CREATE INDEX shadow_scores_by_text ON shadow_scores (text_id, created_at);
`;

export const migrations: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: initialSchema },
  { version: 2, name: 'api key ids and rate limits', sql: apiKeyIds },
  { version: 3, name: 'text snippets and retention index', sql: textSnippets },
  { version: 4, name: 'themes', sql: themes },
  { version: 5, name: 'shared rate-limit counters', sql: rateLimits },
  { version: 6, name: 'alert delivery claims', sql: alertClaims },
  { version: 7, name: 'per-score drift values', sql: driftValues },
  // PostgreSQL only (job_chunks, job_results for `churnscope worker`): SQLite runs jobs in-process from files, and
  // keeps the version so both schemas are numbered alike.
  { version: 8, name: 'queued job chunks', sql: 'SELECT 1' },
  { version: 9, name: 'shadow scores', sql: shadowScores },
];
