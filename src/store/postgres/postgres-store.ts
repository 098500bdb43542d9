// The PostgreSQL implementation of Store: one pg.Pool, migrated under an advisory lock at open, shared by all repositories.
import { Pool, types, type CustomTypesConfig } from 'pg';
import { ConfigError, StoreUnavailableError } from '../../errors';
import { PgShadowScoreRepository } from './pg-shadow-scores';
import type { Logger } from '../../logging';
import type {
  AlertLogRepository,
  AlertRuleRepository,
  ApiKeyRepository,
  CustomerRepository,
  DashboardRepository,
  FeedbackRepository,
  ShadowScoreRepository,
  JobQueue,
  JobQueueOptions,
  JobRepository,
  ModelRepository,
  RateLimitRepository,
  ScoreRepository,
  ScoredTextRepository,
  Store,
  StoreRepositories,
  TextRepository,
  ThemeRepository,
} from '../types';
import { PgAlertLogRepository } from './pg-alert-log';
import { PgAlertRuleRepository } from './pg-alert-rules';
import { PgApiKeyRepository } from './pg-api-keys';
import { PgCustomerRepository } from './pg-customers';
import { PgDashboardRepository } from './pg-dashboard';
import { PgExecutor } from './pg-executor';
import { PgFeedbackRepository } from './pg-feedback';
import { PgJobRepository } from './pg-jobs';
import { migratePg } from './pg-migrate';
import { pgMigrations } from './pg-migrations';
import { PgModelRepository } from './pg-models';
import { PgNotifications } from './pg-notifications';
import { PgScoreRepository } from './pg-scores';
import { PgTextRepository } from './pg-texts';
import { PgRateLimitRepository } from './pg-rate-limits';
import { PgScoredTextRepository, PgThemeRepository } from './pg-themes';
import type { Migration } from '../migration';
import { PgJobChunks } from './pg-job-chunks';
import { PgJobQueue } from './pg-job-queue';

export interface PostgresStoreOptions {
  /** postgresql://user[:password]@host[:port]/database, already checked by parseDbLocation. */
  url: string;
  /** The URL with its password masked, for logs and messages. */
  display: string;
  logger: Logger;
  /** Connections in the pool. Default 10. */
  maxConnections?: number;
  /** How long opening a connection may take before the store counts as unavailable. Default 5000. */
  connectTimeoutMs?: number;
  /** Tests only: a different migration list (e.g. to see a newer schema refused). */
  migrations?: readonly Migration[];
}

// Records carry timestamps as ISO-8601 strings and counts/ids as numbers, as on SQLite: parse them so at the driver.
// OIDs of built-in types never change between PostgreSQL versions.
const TIMESTAMPTZ_OID = 1184;
const INT8_OID = 20;
type TextParser = (value: string) => unknown;
const builtinParser = (oid: number, format?: 'text' | 'binary'): TextParser =>
  types.getTypeParser(oid, format) as TextParser;
const parseTimestamptz = builtinParser(TIMESTAMPTZ_OID) as (value: string) => Date;
const typeParsers: CustomTypesConfig = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): TextParser => {
    if (oid === TIMESTAMPTZ_OID) return (value) => parseTimestamptz(value).toISOString();
    // Ids and counts stay far below 2^53.
    if (oid === INT8_OID) return (value) => Number(value);
    return builtinParser(oid, format);
  },
};

// Server answers that no retry fixes: say so as configuration, naming the flag.
const CONFIG_CODES: Record<string, string> = {
  '3D000': 'database does not exist',
  '28P01': 'password authentication failed',
  '28000': 'authentication refused',
  '42501': 'permission denied',
};

function reasonOf(e: StoreUnavailableError): string {
  const cause = e.cause as { code?: unknown; message?: unknown } | undefined;
  const code = typeof cause?.code === 'string' ? cause.code : '';
  const message = typeof cause?.message === 'string' ? cause.message.split('\n')[0] : '';
  if (message) return code && !message.includes(code) ? `${code} ${message}` : message;
  return code || e.message;
}

export class PostgresStore implements Store {
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

  readonly changes: PgNotifications;
  private readonly jobChunks: PgJobChunks;

  private constructor(
    private readonly ex: PgExecutor,
    notifications: PgNotifications,
    private readonly opts: PostgresStoreOptions,
  ) {
    this.changes = notifications;
    this.customers = new PgCustomerRepository(ex);
    this.texts = new PgTextRepository(ex);
    this.scores = new PgScoreRepository(ex);
    this.shadowScores = new PgShadowScoreRepository(ex);
    this.feedback = new PgFeedbackRepository(ex);
    this.models = new PgModelRepository(ex);
    this.alertRules = new PgAlertRuleRepository(ex);
    this.alertLog = new PgAlertLogRepository(ex);
    const jobs = new PgJobRepository(ex);
    this.jobs = jobs;
    this.jobChunks = new PgJobChunks(ex, jobs);
    this.apiKeys = new PgApiKeyRepository(ex);
    this.dashboard = new PgDashboardRepository(ex);
    this.scoredTexts = new PgScoredTextRepository(ex);
    this.themes = new PgThemeRepository(ex);
    this.rateLimits = new PgRateLimitRepository(ex);
  }

  /** StoreUnavailableError when the server cannot be reached; ConfigError for a refusal or a newer schema. */
  static async create(opts: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = new Pool({
      connectionString: opts.url,
      max: opts.maxConnections ?? 10,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
      application_name: 'churnscope',
      types: typeParsers,
    });
    // An idle client whose server went away emits here; unhandled, it would crash the process. The next query
    // gets a fresh connection (or a StoreUnavailableError while the server is still away).
    pool.on('error', (err) => opts.logger.warn({ err, db: opts.display }, 'idle PostgreSQL connection lost'));
    try {
      const { from, to } = await migratePg(pool, opts.migrations ?? pgMigrations, opts.logger);
      opts.logger.info({ db: opts.display, schemaVersion: to, migratedFrom: from }, 'store open');
      const notifications = new PgNotifications({
        url: opts.url,
        display: opts.display,
        logger: opts.logger,
        connectTimeoutMs: opts.connectTimeoutMs ?? 5000,
      });
      return new PostgresStore(new PgExecutor(pool, opts.logger), notifications, opts);
    } catch (e) {
      await pool.end().catch(() => undefined);
      if (e instanceof StoreUnavailableError) {
        // At start the operator needs to know which server: name it (password masked), on one line.
        throw new StoreUnavailableError(`cannot reach PostgreSQL at ${opts.display}: ${reasonOf(e)}`, { cause: e });
      }
      const code = (e as { code?: unknown }).code;
      const refusal = typeof code === 'string' ? CONFIG_CODES[code] : undefined;
      if (refusal) throw new ConfigError(`--db ${opts.display}: ${refusal}`, { field: 'db', cause: e });
      throw e;
    }
  }

  /** Opens pg-boss on its own small pool (schema pgboss, installed on first use) beside this store's tables. */
  readonly openJobQueue = (queueOpts: JobQueueOptions = {}): Promise<JobQueue> =>
    PgJobQueue.create({
      ...queueOpts,
      url: this.opts.url,
      ex: this.ex,
      chunks: this.jobChunks,
      logger: this.opts.logger,
    });

  transaction<T>(fn: (tx: StoreRepositories) => Promise<T> | T): Promise<T> {
    return this.ex.transaction(() => fn(this));
  }

  async dispose(): Promise<void> {
    await this.changes.close();
    await this.ex.close();
    this.ex.logger.debug('store closed');
  }
}
