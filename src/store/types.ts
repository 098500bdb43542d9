// The storage contract the rest of churnscope codes against; async so a Postgres implementation can sit behind it too.
import type {
  AlertClaimInput,
  AlertDeliveryInput,
  AlertDeliveryPatch,
  AlertDeliveryRecord,
  AlertRuleInput,
  AlertRuleRecord,
  ApiKeyCredential,
  ApiKeyInput,
  ApiKeyRecord,
  CustomerInput,
  CustomerRecord,
  FeedbackInput,
  JobInput,
  JobPatch,
  JobRecord,
  JobState,
  LabelledScore,
  ModelInput,
  ModelRecord,
  OutcomeText,
  Page,
  ScoreHistoryEntry,
  ScoreInput,
  ScoreRecord,
  ShadowLabelledScore,
  ShadowScoreInput,
  TextInput,
  TextRecord,
  TextRiskAggregates,
} from './records';
import type { DriftValueRecord, DriftValuesQuery } from './drift-records';
import type { AtRiskCustomerRecord, RiskDistribution, RiskDistributionQuery } from './dashboard-records';
import type {
  CustomerOutcome,
  ScoredTextQuery,
  ScoredTextRecord,
  ScoredTextsRevision,
  ThemeInput,
  ThemeRecord,
} from './themes-records';

// Rule throughout: look-ups of a missing row return null; writes against a missing row throw NotFoundError;
// malformed input throws ValidationError, a duplicate key ConflictError (409); a store that cannot take the call now
// (SQLite still locked after retries, a closed store) OverloadedError; a PostgreSQL server out of reach StoreUnavailableError.

export interface CustomerRepository {
  upsert(input: CustomerInput): Promise<CustomerRecord>;
  get(id: string): Promise<CustomerRecord | null>;
  /** Ordered by id. */
  list(page: Page): Promise<CustomerRecord[]>;
  /**
   * Deletes the customer with every text, score, feedback and alert delivery about it, in one transaction, then
   * has the implementation remove the deleted rows' bytes from its files too (SQLite: secure_delete and a WAL
   * checkpoint; PostgreSQL: VACUUM FULL of the tables involved). True when anything about the customer existed.
   */
  erase(id: string): Promise<boolean>;
  /** All rows or none; returns how many were written. */
  importMany(rows: readonly CustomerInput[]): Promise<number>;
}

export interface TextRepository {
  /** Returns the text's id (a new UUID unless one is given). */
  insert(input: TextInput): Promise<string>;
  /**
   * Inserts unless a text with this id is already stored (by this or any other writer: safe under concurrent
   * replicas and at-least-once delivery). True when this call stored it; never a ConflictError.
   */
  insertIfAbsent(input: TextInput & { id: string }): Promise<boolean>;
  get(id: string): Promise<TextRecord | null>;
  /**
   * Retention: deletes the texts written before `cutoff`, with their scores and the feedback and alert deliveries
   * tied to them, in batches (other writers get turns in between), then removes their bytes from the files as
   * erase() does. Returns how many texts.
   */
  deleteOlderThan(cutoff: Date, opts?: { batchSize?: number }): Promise<number>;
}

export interface ScoreRepository {
  /** Returns the score's id; NotFoundError when the text is unknown. */
  insert(input: ScoreInput): Promise<number>;
  /** Newest text first; a text scored several times appears once per score, newest score first. */
  history(customerId: string, opts: { limit: number }): Promise<ScoreHistoryEntry[]>;
  /** The newest score of the customer's newest scored text. */
  latestForCustomer(customerId: string): Promise<ScoreRecord | null>;
  /** null when the customer has no scored text. */
  textRiskAggregates(customerId: string, opts: { now: Date; halfLifeDays: number }): Promise<TextRiskAggregates | null>;
}

export interface FeedbackRepository {
  /** Needs customerId or textId (customerId is filled from the text when only textId is given). Returns the id. */
  insert(input: FeedbackInput): Promise<string>;
  /**
   * One point per churned/retained outcome that has a score: the text's newest score, or for customer-level
   * feedback the newest score of the customer's newest scored text. Overrides are not labels and are left out.
   */
  labelledScores(): Promise<LabelledScore[]>;
  /**
   * One row per text with a churned/retained outcome reported at or after `since`, the newest outcome winning:
   * text-level feedback names its text, customer-level feedback the customer's newest text. Oldest outcome first.
   */
  outcomeTexts(opts?: { since?: string | Date }): Promise<OutcomeText[]>;
}

export interface ShadowScoreRepository {
  /** Returns the shadow score's id; NotFoundError when the text is unknown. */
  insert(input: ShadowScoreInput): Promise<number>;
  /**
   * As feedback.labelledScores(), over shadow scores: per shadow model version, one point per churned/retained
   * outcome whose text (or, for customer-level feedback, the customer's newest text it scored) has its score, with
   * the newest served text risk of that same text, so the two models are compared on the same outcomes.
   */
  labelledScores(): Promise<ShadowLabelledScore[]>;
}

export interface ModelRepository {
  register(input: ModelInput): Promise<ModelRecord>;
  /** Newest registration first. */
  list(): Promise<ModelRecord[]>;
  get(version: string): Promise<ModelRecord | null>;
  /** Makes this version the only active one. */
  activate(version: string): Promise<ModelRecord>;
  active(): Promise<ModelRecord | null>;
}

export interface AlertRuleRepository {
  create(input: AlertRuleInput): Promise<AlertRuleRecord>;
  get(id: string): Promise<AlertRuleRecord | null>;
  /** Ordered by name. */
  list(): Promise<AlertRuleRecord[]>;
  update(id: string, patch: Partial<AlertRuleInput>): Promise<AlertRuleRecord>;
  /** Deletes the rule and its delivery log. */
  delete(id: string): Promise<void>;
}

export interface AlertLogRepository {
  /** Returns the delivery's id; NotFoundError when the rule is unknown. */
  record(input: AlertDeliveryInput): Promise<string>;
  /**
   * Records the delivery unless one with the same rule and claim is stored (by this or any process on the store):
   * the id when this call won the claim and should deliver, null when another writer holds it. NotFoundError when
   * the rule is unknown. The claim goes when its row does (rule deleted, erasure, retention of its text).
   */
  claim(input: AlertClaimInput): Promise<string | null>;
  update(id: string, patch: AlertDeliveryPatch): Promise<AlertDeliveryRecord>;
  /** Newest first. */
  list(opts: { ruleId?: string; limit: number }): Promise<AlertDeliveryRecord[]>;
}

export interface JobRepository {
  create(input: JobInput): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | null>;
  update(id: string, patch: JobPatch): Promise<JobRecord>;
  /** Newest first. */
  list(opts: { state?: JobState; limit: number }): Promise<JobRecord[]>;
  /** Removes the job's row; false when there was none. */
  delete(id: string): Promise<boolean>;
}

export interface ScoredTextRepository {
  /** Texts whose newest score has an embedding, oldest first, with that score's risks and the customer's segment. */
  list(query?: ScoredTextQuery): Promise<ScoredTextRecord[]>;
  /** Cheap; differs after any score is written or deleted. */
  revision(): Promise<ScoredTextsRevision>;
  /** Each customer's latest churned/retained outcome from feedback (overrides are not outcomes). */
  outcomes(): Promise<CustomerOutcome[]>;
  /** Each text's newest score, when that score came from query.modelVersion, with its drift values; oldest first. */
  driftValues(query: DriftValuesQuery): Promise<DriftValueRecord[]>;
}

export interface ThemeRepository {
  /** Oldest first. */
  list(): Promise<ThemeRecord[]>;
  /** Inserts new ids, updates known ones (centroid, label, keywords), all in one transaction. */
  saveAll(themes: readonly ThemeInput[], at?: string | Date): Promise<void>;
}

export interface DashboardRepository {
  /** Texts counted once each, by their newest score; every bin is present, empty ones with count 0. */
  riskDistribution(query: RiskDistributionQuery): Promise<RiskDistribution>;
  /** Customers by the newest score of their newest scored text, riskiest first. */
  atRiskCustomers(opts: { limit: number }): Promise<AtRiskCustomerRecord[]>;
}

export interface ApiKeyRepository {
  /** ConflictError when the id is taken. */
  create(input: ApiKeyInput): Promise<ApiKeyRecord>;
  /** Oldest first, revoked keys included. */
  list(): Promise<ApiKeyRecord[]>;
  get(id: string): Promise<ApiKeyRecord | null>;
  /** The record with its secret's hash, for verifying a presented key; null when the id is unknown. */
  credential(id: string): Promise<ApiKeyCredential | null>;
  /** Marks the key revoked (idempotent: the first revocation time is kept); NotFoundError when the id is unknown. */
  revoke(id: string, at?: string | Date): Promise<ApiKeyRecord>;
  /** Whether any key was ever created, revoked ones included. */
  any(): Promise<boolean>;
}

/** Request counters in fixed windows aligned to the epoch, so every process sharing the store counts the same window. */
export interface RateLimitRepository {
  /**
   * Counts one request for `key` in the window of `windowMs` that contains `now`, atomically across every process
   * on the store; returns the requests counted in that window so far and when it ends (ISO-8601).
   */
  hit(key: string, windowMs: number, now?: Date): Promise<{ hits: number; resetAt: string }>;
  /** Takes back one request counted in the current window (never below 0). */
  undo(key: string, windowMs: number, now?: Date): Promise<void>;
  reset(key: string): Promise<void>;
  /** Drops the counters of windows that began before `before`; returns how many. */
  prune(before: Date): Promise<number>;
}

export interface StoreRepositories {
  readonly customers: CustomerRepository;
  readonly texts: TextRepository;
  readonly scores: ScoreRepository;
  readonly shadowScores: ShadowScoreRepository;
  readonly feedback: FeedbackRepository;
  readonly models: ModelRepository;
  readonly alertRules: AlertRuleRepository;
  readonly alertLog: AlertLogRepository;
  readonly jobs: JobRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly dashboard: DashboardRepository;
  readonly scoredTexts: ScoredTextRepository;
  readonly themes: ThemeRepository;
  readonly rateLimits: RateLimitRepository;
}

/** Changes another process made to shared state, pushed as they commit. */
export interface StoreChanges {
  /**
   * fn runs after any process on the store activates a model, and after a lost connection comes back (notices sent
   * meanwhile are lost). Resolves once listening, to a function that stops.
   */
  onModelActivated(fn: () => void): Promise<() => Promise<void>>;
}

export interface Store extends StoreRepositories {
  /** PostgreSQL: LISTEN/NOTIFY. Absent where the store cannot push (SQLite): callers poll. */
  readonly changes?: StoreChanges;
  /**
   * PostgreSQL: batch jobs kept in the database in chunks, one queue message per chunk, worked by any process.
   * Absent on SQLite, whose jobs run in-process from files. The caller owns (and disposes) what it opens.
   */
  readonly openJobQueue?: (opts?: JobQueueOptions) => Promise<JobQueue>;
  /**
   * Runs fn atomically: everything it does through `tx` commits together or not at all (fn throwing rolls back).
   * Other callers never see its writes before the commit; they may wait for it (SQLite serialises everything,
   * PostgreSQL makes writers of the same rows wait), so keep slow work (model inference, HTTP) outside. Nested
   * calls join the outer transaction; a write that fails inside it (a duplicate) undoes only itself.
   */
  transaction<T>(fn: (tx: StoreRepositories) => Promise<T> | T): Promise<T>;
  /** Waits for a transaction in flight, then closes. Idempotent. */
  dispose(): Promise<void>;
}

export interface JobQueueOptions {
  /** A taken chunk not completed within this many seconds (its worker died) is delivered again. Default 25. */
  leaseSeconds?: number;
  /** Deliveries of one chunk after its first (expired leases and failures). Default 5. */
  retryLimit?: number;
  /** How often some process moves expired leases back to the queue. Default 5 s. */
  maintenanceSeconds?: number;
}

/** One chunk of a job's input: its records in input order, as the reader gave them (plain JSON). */
export interface JobChunkInput {
  index: number;
  /** Position of the chunk's first record among all the job's records (0-based). */
  firstRow: number;
  rows: readonly unknown[];
}

export interface JobChunkRecord extends JobChunkInput {
  jobId: string;
  done: boolean;
}

/** One record's outcome: the scored output row, or the reason it could not be scored. */
export interface JobResultInput {
  rowIndex: number;
  line: number;
  output: Record<string, unknown> | null;
  error: string | null;
}

/** What a job has after a chunk commit, counted from its stored results. */
export interface JobTally {
  rows: number;
  scored: number;
  errors: number;
  chunksLeft: number;
}

/** A message taken from the queue: chunk `chunk` of job `jobId`, leased to the taker. */
export interface ChunkDelivery {
  id: string;
  jobId: string;
  chunk: number;
  /** Earlier deliveries of this message (leases that expired, failures). */
  retries: number;
}

export interface JobQueue {
  readonly retryLimit: number;
  /** Stores chunks of a job whose row exists; a chunk already stored is left as it is. */
  addChunks(jobId: string, chunks: readonly JobChunkInput[]): Promise<void>;
  /** One message per chunk 0..count-1; only after every chunk is stored. */
  enqueue(jobId: string, count: number): Promise<void>;
  chunk(jobId: string, index: number): Promise<JobChunkRecord | null>;
  /**
   * Writes a chunk's results (a row already written stays as it was: at-least-once delivery, exactly-once output),
   * marks the chunk done and applies `patch(job, tally)` to the job row, all in one transaction holding the job's
   * row lock. A job that is no longer queued or running is left alone and nothing is written: null.
   */
  commitChunk(
    jobId: string,
    index: number,
    results: readonly JobResultInput[],
    patch: (job: JobRecord, tally: JobTally) => JobPatch,
  ): Promise<JobRecord | null>;
  /** Cancels a queued or running job (under its row lock, so no chunk commits after); null when it was neither. */
  cancel(jobId: string): Promise<JobRecord | null>;
  /** Results in input order from row `from`, stopping before the first chunk not yet done. */
  results(jobId: string, opts: { from: number; limit: number }): Promise<JobResultInput[]>;
  /** Takes one message (leased for leaseSeconds), or null when none waits. */
  take(): Promise<ChunkDelivery | null>;
  complete(delivery: ChunkDelivery): Promise<void>;
  /** Back to the queue for a later delivery (until retryLimit). */
  fail(delivery: ChunkDelivery, reason: string): Promise<void>;
  /** Stops the queue's maintenance and closes its connections. Idempotent. */
  dispose(): Promise<void>;
}
