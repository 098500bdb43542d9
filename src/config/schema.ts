// The one typed configuration of churnscope: a zod schema, defaults included, validated once at start-up.
import os from 'node:os';
import { z } from 'zod';

/** One inference worker per core the process may use, capped so a large host does not hold dozens of sessions. */
export const DEFAULT_WORKERS = Math.max(1, Math.min(8, os.availableParallelism()));

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const logLevelSchema = z.enum(LOG_LEVELS, {
  error: (iss) => `must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(iss.input)}`,
});
export type LogLevel = z.infer<typeof logLevelSchema>;

export const executionProviderSchema = z.enum(['cuda', 'cpu']);

export const PRECISIONS = ['auto', 'fp32', 'int8'] as const;
export const precisionSchema = z.enum(PRECISIONS, {
  error: (iss) => `must be one of ${PRECISIONS.join(', ')}, got ${JSON.stringify(iss.input)}`,
});

export const engineConfigSchema = z.object({
  /** Execution providers in order of preference; ORT falls back to the next when one cannot start. */
  providers: z.array(executionProviderSchema).min(1).default(['cuda', 'cpu']),
  /**
   * Which bundle file runs: fp32 `onnx/model.onnx`, int8 `onnx/model_quantized.onnx`, or auto (int8 on the CPU
   * provider when the bundle has it, fp32 on CUDA and for bundles without an int8 file).
   */
  precision: precisionSchema.default('auto'),
  /**
   * ORT intra-op threads per session (each worker has one). 0: the cores shared out among the workers (one each when
   * there are as many workers as cores), or every core for a session on the main thread.
   */
  threads: z.number().int().min(0).max(256).default(0),
  /**
   * Worker threads that run the model, each with its own ONNX session, so inference never blocks the event loop;
   * 0 runs the session on the main thread. Default: one per core (at most 8). On 2 cores, two single-threaded
   * workers scored ~1.6x the texts per second of one worker with two intra-op threads (which pays a thread hand-off
   * per op with spinning off), with the same event-loop lag (p99 ~10 ms) — README, "Serving performance".
   */
  workers: z
    .number()
    .int()
    .min(0)
    .max(64)
    .default(() => DEFAULT_WORKERS),
  /**
   * Whether idle intra-op threads busy-wait for the next op (ORT's allow_spinning). Absent: off with workers (a
   * spinning pool steals the core the event loop needs between batches), ORT's default (on) in-thread.
   */
  spinning: z.boolean().optional(),
  /**
   * A worker that has not answered a model call for this long is taken as hung (a native deadlock, a runaway op): it
   * is terminated and restarted, and the calls it held get 503 + Retry-After instead of waiting forever. Far above
   * the slowest legitimate batch (a full 32 × 256-token batch takes ~1 s on 2 cores).
   */
  workerDeadlineMs: z.number().int().min(100).max(600_000).default(30_000),
  /** Most texts (windows) run through the model in one call. */
  maxBatch: z.number().int().min(1).max(1024).default(32),
  /** Most texts (windows) in one model call of batch-job work, which yields to online requests between calls. */
  maxBulkBatch: z.number().int().min(1).max(1024).default(8),
  /** How long the micro-batcher waits for more requests before running a partial batch. */
  maxWaitMs: z.number().min(0).max(1000).default(2),
  /** Padding a batch may carry relative to its real tokens (CPU cost is per token, so padding is waste). */
  maxPaddingFraction: z.number().min(0).default(0.15),
  /** Requests waiting beyond this are refused with an OverloadedError instead of queueing without bound. */
  maxQueue: z.number().int().min(1).default(10_000),
  /** Tokens per window; longer texts are split into overlapping windows. */
  maxTokens: z.number().int().min(8).max(4096).default(256),
  /** Tokens shared by consecutive windows of a long text. */
  windowOverlap: z.number().int().min(0).default(64),
  /** Windows per text at most; the rest of a very long text is ignored (and reported). */
  maxWindows: z.number().int().min(1).max(1024).default(16),
  /** Text size limit in UTF-8 bytes. */
  maxTextBytes: z
    .number()
    .int()
    .min(1)
    .default(100 * 1024),
  /** How the windows of one text combine into its risk. */
  windowAggregate: z.enum(['max', 'mean']).default('max'),
});

export const serverConfigSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8080),
  /**
   * Admission control: scoring requests are refused (503 + Retry-After) while the engine's backlog is estimated to take
   * longer than this, so accepted requests keep a bounded latency under overload; 0 turns it off (maxQueue still applies).
   */
  maxQueueWaitMs: z.number().min(0).max(600_000).default(1000),
  /**
   * How long an idle keep-alive connection stays open. Longer than the usual client and load-balancer idle timeouts
   * (60 s), so the client closes first: a server closing a connection the client is just reusing resets that request.
   */
  keepAliveTimeoutMs: z.number().int().min(1000).max(600_000).default(65_000),
  /** On SIGINT/SIGTERM, how long in-flight requests may take to finish before their connections are cut. */
  shutdownTimeoutMs: z.number().int().min(0).max(600_000).default(10_000),
  /**
   * How often a replica re-reads which model the store says is active and follows it. On PostgreSQL activations are
   * also pushed (LISTEN/NOTIFY), so this is only the fallback for a lost notice; 0 turns polling off.
   */
  modelSyncIntervalMs: z.number().int().min(0).max(3_600_000).default(5000),
});

export const jobsConfigSchema = z.object({
  /** Where batch jobs keep their input, results, errors and progress files (one folder per job). */
  dir: z.string().min(1).default('./data/jobs'),
  /** Largest upload POST /v1/jobs accepts, in bytes (413 beyond). */
  maxUploadBytes: z
    .number()
    .int()
    .min(1)
    .default(2 * 1024 ** 3),
  /**
   * Folders whose files a client may name as a server-side job input ({"path": …}). Empty: server-side paths are
   * refused, because they would let any client read files the server can read.
   */
  inputDirs: z.array(z.string().min(1)).default([]),
  /** Rows per engine call; two chunks are in flight so the engine never waits for the writer. */
  chunkSize: z.number().int().min(1).max(65_536).default(256),
  /**
   * PostgreSQL (queued jobs): a chunk a worker took and has not committed within this many seconds (the worker
   * died) is handed to another worker, within about 5 s more. Must exceed the time one chunk takes to score.
   */
  leaseSeconds: z.number().int().min(1).max(3600).default(25),
});

export const authConfigSchema = z.object({
  /**
   * auto: on a loopback address, open until the first API key is created; elsewhere keys are required (and the
   * server refuses to start while none exists). required: always. off: no authentication, loopback only.
   */
  mode: z.enum(['auto', 'required', 'off']).default('auto'),
  /** Set only by the explicit --insecure-no-auth flag: no authentication on any address. */
  insecureNoAuth: z.boolean().default(false),
  /** /metrics without a key; false: it needs the `read` scope. */
  publicMetrics: z.boolean().default(true),
  rateLimit: z
    .object({
      /** Requests per window per API key (per client IP when no key is used); 0: none, except keys with their own limit. */
      requests: z.number().int().min(0).default(0),
      windowSeconds: z.number().int().min(1).max(86_400).default(60),
    })
    .prefault({}),
});

export const limitsConfigSchema = z.object({
  /** Largest JSON request body in bytes (413 beyond). */
  jsonBodyBytes: z
    .number()
    .int()
    .min(1024)
    .default(2 * 1024 ** 2),
  /** Largest CSV body of POST /v1/customers/import in bytes (413 beyond). */
  importBytes: z
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 ** 2),
});

export const privacyConfigSchema = z.object({
  /**
   * What is stored of each customer text (scoring always sees the raw text): 'full' the text as received,
   * 'redacted' e-mails, phones, card numbers and IBANs replaced by placeholders, 'none' only a hash and a redacted snippet.
   */
  storeText: z.enum(['full', 'redacted', 'none']).default('redacted'),
  /** Characters of redacted text kept as a display snippet; 0 keeps none. */
  snippetChars: z.number().int().min(0).max(1000).default(80),
  /** Texts older than this many days are deleted with their scores, at start-up and then periodically; absent: kept. */
  retentionDays: z.number().int().min(1).optional(),
  /** How often the retention job runs while serving. */
  retentionIntervalMinutes: z
    .number()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
});

const psiThresholdSchema = z.number().gt(0).max(10);

export const driftConfigSchema = z.object({
  /** PSI above which a signal counts as drifted; 0.2 is the usual "significant shift" line. */
  psiThreshold: psiThresholdSchema.default(0.2),
  /** Per-signal thresholds that replace psiThreshold (risk, tokens, rare_share, centroid_distance, source). */
  thresholds: z
    .object({
      risk: psiThresholdSchema.optional(),
      tokens: psiThresholdSchema.optional(),
      rare_share: psiThresholdSchema.optional(),
      centroid_distance: psiThresholdSchema.optional(),
      source: psiThresholdSchema.optional(),
    })
    .strict()
    .prefault({}),
  /**
   * Fewest scored texts a window must hold. PSI over 10 bins has a sampling floor of about 9/n even without drift
   * (≈0.18 at n = 50, a false alarm at the 0.2 line); at 100 texts its 95th percentile stays near 0.2.
   */
  minTexts: z.number().int().min(10).max(1_000_000).default(100),
  /** The default window, ending now, of GET /v1/monitoring/drift, /metrics and drift_above alerts. */
  windowDays: z.number().gt(0).max(365).default(7),
  /** /metrics and drift alerts recompute the default window at most this often (a scrape never runs the query). */
  refreshSeconds: z.number().int().min(1).max(86_400).default(300),
});

export const monitoringConfigSchema = z.object({
  drift: driftConfigSchema.prefault({}),
});

export const shadowConfigSchema = z.object({
  /** A model bundle directory, or the version of a bundle in modelsDir; absent: shadow scoring is off. */
  model: z.string().min(1).optional(),
  /** Share of scored texts the shadow model also scores (after the response, never delaying it); 0 turns it off. */
  sampleRate: z.number().min(0).max(1).default(0),
});

export const configSchema = z.object({
  modelDir: z.string().min(1),
  dbPath: z.string().min(1).default('./data/churnscope.db'),
  /** Folder whose sub-folders are model bundles that can be activated (hot swap). */
  modelsDir: z.string().min(1).optional(),
  /** Fusion model (fusion.json); default: fusion.json inside the model bundle when present. */
  fusionPath: z.string().min(1).optional(),
  /** Retention playbook (JSON); default: config/default-playbook.json. */
  playbookPath: z.string().min(1).optional(),
  logLevel: logLevelSchema.default('info'),
  engine: engineConfigSchema.prefault({}),
  server: serverConfigSchema.prefault({}),
  jobs: jobsConfigSchema.prefault({}),
  auth: authConfigSchema.prefault({}),
  limits: limitsConfigSchema.prefault({}),
  privacy: privacyConfigSchema.prefault({}),
  monitoring: monitoringConfigSchema.prefault({}),
  shadow: shadowConfigSchema.prefault({}),
});

export type EngineConfig = z.infer<typeof engineConfigSchema>;
export type ServerConfig = z.infer<typeof serverConfigSchema>;
export type JobsConfig = z.infer<typeof jobsConfigSchema>;
export type AuthConfig = z.infer<typeof authConfigSchema>;
export type LimitsConfig = z.infer<typeof limitsConfigSchema>;
export type PrivacyConfig = z.infer<typeof privacyConfigSchema>;
export type DriftConfig = z.infer<typeof driftConfigSchema>;
export type ShadowConfig = z.infer<typeof shadowConfigSchema>;
export type Config = z.infer<typeof configSchema>;
export type ExecutionProvider = z.infer<typeof executionProviderSchema>;
export type PrecisionSetting = z.infer<typeof precisionSchema>;
