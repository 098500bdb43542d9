// Builds the Config from defaults, environment variables and CLI flags (in rising precedence), failing fast on bad values.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError } from '../errors';
import { configSchema, engineConfigSchema, type Config } from './schema';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The bundle `npm start` serves when no model is named. */
export const DEFAULT_MODEL_DIR = path.join(REPO_ROOT, 'models/default');
/** The retention playbook used when none is configured. */
export const DEFAULT_PLAYBOOK = path.join(REPO_ROOT, 'config/default-playbook.json');

export interface ConfigSources {
  env?: NodeJS.ProcessEnv;
  /** Flags already parsed by the CLI; undefined entries are ignored. */
  flags?: Partial<{
    model: string;
    db: string;
    modelsDir: string;
    fusion: string;
    playbook: string;
    port: number;
    host: string;
    logLevel: string;
    threads: number;
    workers: number;
    maxBatch: number;
    maxWaitMs: number;
    providers: string[];
    precision: string;
    jobsDir: string;
    leaseSeconds: number;
    storeText: string;
    shadowModel: string;
    shadowSampleRate: number;
    retentionDays: number;
    auth: string;
    insecureNoAuth: boolean;
    rateLimit: number;
    rateLimitWindow: number;
  }>;
}

const ENV_PREFIX = 'CHURNSCOPE_';

function num(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new ConfigError(`${ENV_PREFIX}${name} must be a number, got "${v}"`, { field: name });
  return n;
}

function bool(v: string | undefined, name: string): boolean | undefined {
  if (v === undefined || v === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigError(`${ENV_PREFIX}${name} must be true or false, got "${v}"`, { field: name });
}

/** "risk=0.3,source=0.5" → { risk: 0.3, source: 0.5 }; names are checked by the schema, values here. */
function thresholds(v: string | undefined, name: string): Record<string, number> | undefined {
  if (v === undefined || v === '') return undefined;
  const out: Record<string, number> = {};
  for (const part of v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [key, value, extra] = part.split('=');
    const n = num(value, name);
    if (!key || n === undefined || extra !== undefined) {
      throw new ConfigError(`${ENV_PREFIX}${name} must be signal=psi pairs separated by commas, got "${v}"`, {
        field: name,
      });
    }
    out[key.trim()] = n;
  }
  return out;
}

function pick<T>(...values: (T | undefined)[]): T | undefined {
  return values.find((v) => v !== undefined);
}

export function loadConfig(sources: ConfigSources = {}): Config {
  const env = sources.env ?? {};
  const f = sources.flags ?? {};
  const e = (k: string): string | undefined => env[ENV_PREFIX + k];
  const providers = pick(
    f.providers,
    e('PROVIDERS')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const raw = {
    modelDir: pick(f.model, e('MODEL')) ?? DEFAULT_MODEL_DIR,
    dbPath: pick(f.db, e('DB')),
    modelsDir: pick(f.modelsDir, e('MODELS_DIR')),
    fusionPath: pick(f.fusion, e('FUSION')),
    playbookPath: pick(f.playbook, e('PLAYBOOK')),
    logLevel: pick(f.logLevel, e('LOG_LEVEL'), env.LOG_LEVEL),
    server: {
      host: pick(f.host, e('HOST')),
      port: pick(f.port, num(e('PORT'), 'PORT'), num(env.PORT, 'PORT')),
      maxQueueWaitMs: num(e('MAX_QUEUE_WAIT_MS'), 'MAX_QUEUE_WAIT_MS'),
      shutdownTimeoutMs: num(e('SHUTDOWN_TIMEOUT_MS'), 'SHUTDOWN_TIMEOUT_MS'),
      keepAliveTimeoutMs: num(e('KEEPALIVE_TIMEOUT_MS'), 'KEEPALIVE_TIMEOUT_MS'),
      modelSyncIntervalMs: num(e('MODEL_SYNC_MS'), 'MODEL_SYNC_MS'),
    },
    jobs: {
      dir: pick(f.jobsDir, e('JOBS_DIR')),
      maxUploadBytes: num(e('MAX_UPLOAD_BYTES'), 'MAX_UPLOAD_BYTES'),
      inputDirs: e('JOB_INPUT_DIRS')?.split(path.delimiter).filter(Boolean),
      chunkSize: num(e('JOB_CHUNK_SIZE'), 'JOB_CHUNK_SIZE'),
      leaseSeconds: pick(f.leaseSeconds, num(e('JOB_LEASE_SECONDS'), 'JOB_LEASE_SECONDS')),
    },
    // insecureNoAuth comes from the flag alone: opening a server to the network must be said out loud.
    auth: {
      mode: pick(f.auth, e('AUTH')),
      insecureNoAuth: f.insecureNoAuth,
      publicMetrics: bool(e('PUBLIC_METRICS'), 'PUBLIC_METRICS'),
      rateLimit: {
        requests: pick(f.rateLimit, num(e('RATE_LIMIT'), 'RATE_LIMIT')),
        windowSeconds: pick(f.rateLimitWindow, num(e('RATE_LIMIT_WINDOW_S'), 'RATE_LIMIT_WINDOW_S')),
      },
    },
    privacy: {
      storeText: pick(f.storeText, e('STORE_TEXT')),
      snippetChars: num(e('SNIPPET_CHARS'), 'SNIPPET_CHARS'),
      retentionDays: pick(f.retentionDays, num(e('RETENTION_DAYS'), 'RETENTION_DAYS')),
      retentionIntervalMinutes: num(e('RETENTION_INTERVAL_MINUTES'), 'RETENTION_INTERVAL_MINUTES'),
    },
    monitoring: {
      drift: {
        psiThreshold: num(e('DRIFT_PSI'), 'DRIFT_PSI'),
        thresholds: thresholds(e('DRIFT_THRESHOLDS'), 'DRIFT_THRESHOLDS'),
        minTexts: num(e('DRIFT_MIN_TEXTS'), 'DRIFT_MIN_TEXTS'),
        windowDays: num(e('DRIFT_WINDOW_DAYS'), 'DRIFT_WINDOW_DAYS'),
        refreshSeconds: num(e('DRIFT_REFRESH_S'), 'DRIFT_REFRESH_S'),
      },
    },
    shadow: {
      model: pick(f.shadowModel, e('SHADOW_MODEL')),
      sampleRate: pick(f.shadowSampleRate, num(e('SHADOW_SAMPLE_RATE'), 'SHADOW_SAMPLE_RATE')),
    },
    limits: {
      jsonBodyBytes: num(e('MAX_BODY_BYTES'), 'MAX_BODY_BYTES'),
      importBytes: num(e('MAX_IMPORT_BYTES'), 'MAX_IMPORT_BYTES'),
    },
    engine: {
      providers,
      precision: pick(f.precision, e('PRECISION')),
      threads: pick(f.threads, num(e('THREADS'), 'THREADS')),
      workers: pick(f.workers, num(e('WORKERS'), 'WORKERS')),
      spinning: bool(e('SPINNING'), 'SPINNING'),
      workerDeadlineMs: num(e('WORKER_DEADLINE_MS'), 'WORKER_DEADLINE_MS'),
      maxBatch: pick(f.maxBatch, num(e('MAX_BATCH'), 'MAX_BATCH')),
      maxWaitMs: pick(f.maxWaitMs, num(e('MAX_WAIT_MS'), 'MAX_WAIT_MS')),
      maxTokens: num(e('MAX_TOKENS'), 'MAX_TOKENS'),
      maxTextBytes: num(e('MAX_TEXT_BYTES'), 'MAX_TEXT_BYTES'),
    },
  };
  return parseConfig(raw);
}

/** Validates a raw object; errors name the offending path and list valid values where zod knows them. */
export function parseConfig(raw: unknown): Config {
  const result = configSchema.safeParse(stripUndefined(raw));
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue.path.join('.');
    throw new ConfigError(`invalid configuration at ${where || '(root)'}: ${issue.message}`, {
      field: where,
      cause: result.error,
    });
  }
  const engine = result.data.engine;
  if (engine.windowOverlap >= engine.maxTokens) {
    throw new ConfigError(
      `engine.windowOverlap (${engine.windowOverlap}) must be smaller than engine.maxTokens (${engine.maxTokens})`,
      {
        field: 'engine.windowOverlap',
      },
    );
  }
  return result.data;
}

/** Engine options alone, defaults filled, for library callers that have no full Config. */
export function engineDefaults(overrides: Partial<z.input<typeof engineConfigSchema>> = {}) {
  return engineConfigSchema.parse(stripUndefined(overrides));
}

function stripUndefined(v: unknown): unknown {
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, stripUndefined(x)]),
    );
  }
  return v;
}
