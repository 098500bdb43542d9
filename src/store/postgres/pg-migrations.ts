// The PostgreSQL schema's history, version for version the same as SQLite's: append, never edit one that has shipped.
import type { Migration } from '../migration';

// As on SQLite: texts, feedback and deliveries name a customer without a foreign key (texts may be scored for
// customers never uploaded; erase() deletes by id); references to texts and rules cascade. `seq` is insertion
// order, what SQLite's rowid gives for free, used to break ties between equal timestamps. JSON is `json`, not
// `jsonb`: it keeps the text as written (key order, duplicate keys), exactly as SQLite's TEXT column does.
const initialSchema = `
CREATE TABLE customers (
  id TEXT PRIMARY KEY,
  features JSON NOT NULL,
  segment TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE texts (
  id TEXT PRIMARY KEY,
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  customer_id TEXT,
  source TEXT NOT NULL CHECK (source IN ('feedback', 'review', 'chat', 'ticket')),
  text TEXT,
  hash TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX texts_by_customer ON texts (customer_id, created_at);
CREATE INDEX texts_by_hash ON texts (hash);

CREATE TABLE scores (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  text_id TEXT NOT NULL REFERENCES texts (id) ON DELETE CASCADE,
  model_version TEXT NOT NULL,
  risk DOUBLE PRECISION NOT NULL CHECK (risk BETWEEN 0 AND 1),
  text_risk DOUBLE PRECISION NOT NULL CHECK (text_risk BETWEEN 0 AND 1),
  tabular_risk DOUBLE PRECISION CHECK (tabular_risk BETWEEN 0 AND 1),
  band TEXT NOT NULL CHECK (band IN ('low', 'medium', 'high', 'critical')),
  drivers JSON NOT NULL,
  embedding BYTEA,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX scores_by_text ON scores (text_id, created_at);

CREATE TABLE feedback (
  id TEXT PRIMARY KEY,
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  customer_id TEXT,
  text_id TEXT REFERENCES texts (id) ON DELETE CASCADE,
  outcome TEXT NOT NULL CHECK (outcome IN ('churned', 'retained', 'override')),
  override_risk DOUBLE PRECISION CHECK (override_risk BETWEEN 0 AND 1),
  note TEXT,
  at TIMESTAMPTZ NOT NULL,
  CHECK (customer_id IS NOT NULL OR text_id IS NOT NULL)
);
CREATE INDEX feedback_by_customer ON feedback (customer_id);
CREATE INDEX feedback_by_text ON feedback (text_id);

CREATE TABLE models (
  version TEXT PRIMARY KEY,
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  path TEXT NOT NULL,
  metrics JSON NOT NULL,
  active BOOLEAN NOT NULL DEFAULT FALSE,
  registered_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX models_one_active ON models (active) WHERE active;

CREATE TABLE alert_rules (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  condition JSON NOT NULL,
  action JSON NOT NULL,
  enabled BOOLEAN NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE alert_log (
  id TEXT PRIMARY KEY,
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  rule_id TEXT NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
  customer_id TEXT,
  text_id TEXT REFERENCES texts (id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL CHECK (attempts >= 0),
  last_error TEXT,
  payload JSON NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX alert_log_by_rule ON alert_log (rule_id, created_at);
CREATE INDEX alert_log_by_customer ON alert_log (customer_id);
CREATE INDEX alert_log_by_text ON alert_log (text_id);

CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  input JSON NOT NULL,
  cursor JSON,
  counts JSON,
  error TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX jobs_by_state ON jobs (state, created_at);

CREATE TABLE api_keys (
  hash TEXT PRIMARY KEY,
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  name TEXT NOT NULL,
  scopes JSON NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ
);

-- ANALYZE copies sample values (most common values, histogram bounds) into pg_statistic, whose dead rows no erase
-- can reach: columns holding customers' words or identifiers keep no statistics. Their queries go through indexes.
ALTER TABLE customers ALTER COLUMN id SET STATISTICS 0;
ALTER TABLE texts ALTER COLUMN customer_id SET STATISTICS 0;
ALTER TABLE texts ALTER COLUMN text SET STATISTICS 0;
ALTER TABLE texts ALTER COLUMN hash SET STATISTICS 0;
ALTER TABLE scores ALTER COLUMN embedding SET STATISTICS 0;
ALTER TABLE feedback ALTER COLUMN customer_id SET STATISTICS 0;
ALTER TABLE feedback ALTER COLUMN note SET STATISTICS 0;
ALTER TABLE alert_log ALTER COLUMN customer_id SET STATISTICS 0;
ALTER TABLE alert_log ALTER COLUMN last_error SET STATISTICS 0;
`;

const apiKeyIds = `
ALTER TABLE api_keys ADD COLUMN id TEXT;
ALTER TABLE api_keys ADD COLUMN rate_limit INTEGER CHECK (rate_limit IS NULL OR rate_limit >= 1);
CREATE UNIQUE INDEX api_keys_by_id ON api_keys (id);
`;

const textSnippets = `
ALTER TABLE texts ADD COLUMN snippet TEXT;
ALTER TABLE texts ALTER COLUMN snippet SET STATISTICS 0;
CREATE INDEX texts_by_created ON texts (created_at);
`;

const themes = `
CREATE TABLE themes (
  id TEXT PRIMARY KEY,
  centroid BYTEA NOT NULL,
  label TEXT NOT NULL,
  keywords JSON NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
`;

const rateLimits = `
CREATE TABLE rate_limits (
  key TEXT PRIMARY KEY,
  window_start TIMESTAMPTZ NOT NULL,
  hits INTEGER NOT NULL CHECK (hits >= 0)
);
`;

const alertClaims = `
ALTER TABLE alert_log ADD COLUMN claim TEXT;
CREATE UNIQUE INDEX alert_log_by_claim ON alert_log (rule_id, claim);
`;

const driftValues = `
ALTER TABLE scores ADD COLUMN tokens INTEGER CHECK (tokens IS NULL OR tokens >= 0);
ALTER TABLE scores ADD COLUMN rare_share DOUBLE PRECISION CHECK (rare_share IS NULL OR rare_share BETWEEN 0 AND 1);
ALTER TABLE scores ADD COLUMN centroid_distance DOUBLE PRECISION
  CHECK (centroid_distance IS NULL OR centroid_distance BETWEEN 0 AND 2);
`;

// Batch jobs run by `churnscope worker` processes: the upload is kept here in chunks (one queue message each) and
// every row's result is keyed by (job, row), so a chunk delivered twice writes its rows once.
const jobChunks = `
CREATE TABLE job_chunks (
  job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  chunk_index INTEGER NOT NULL CHECK (chunk_index >= 0),
  first_row INTEGER NOT NULL CHECK (first_row >= 0),
  row_count INTEGER NOT NULL CHECK (row_count >= 0),
  rows JSON NOT NULL,
  done BOOLEAN NOT NULL DEFAULT FALSE,
  -- Set by the commit that marks the chunk done: a job's progress sums chunks, never counts its result rows.
  scored INTEGER,
  errors INTEGER,
  PRIMARY KEY (job_id, chunk_index)
);

CREATE TABLE job_results (
  job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  row_index INTEGER NOT NULL CHECK (row_index >= 0),
  line INTEGER NOT NULL,
  output JSON,
  error TEXT,
  PRIMARY KEY (job_id, row_index),
  CHECK ((output IS NULL) <> (error IS NULL))
);

ALTER TABLE job_chunks ALTER COLUMN rows SET STATISTICS 0;
ALTER TABLE job_results ALTER COLUMN output SET STATISTICS 0;
ALTER TABLE job_results ALTER COLUMN error SET STATISTICS 0;
`;

const shadowScores = `
CREATE TABLE shadow_scores (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  text_id TEXT NOT NULL REFERENCES texts (id) ON DELETE CASCADE,
  model_version TEXT NOT NULL,
  risk DOUBLE PRECISION NOT NULL CHECK (risk BETWEEN 0 AND 1),
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX shadow_scores_by_text ON shadow_scores (text_id, created_at);
`;

export const pgMigrations: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: initialSchema },
  { version: 2, name: 'api key ids and rate limits', sql: apiKeyIds },
  { version: 3, name: 'text snippets and retention index', sql: textSnippets },
  { version: 4, name: 'themes', sql: themes },
  { version: 5, name: 'shared rate-limit counters', sql: rateLimits },
  { version: 6, name: 'alert delivery claims', sql: alertClaims },
  { version: 7, name: 'per-score drift values', sql: driftValues },
  { version: 8, name: 'queued job chunks', sql: jobChunks },
  { version: 9, name: 'shadow scores', sql: shadowScores },
];
