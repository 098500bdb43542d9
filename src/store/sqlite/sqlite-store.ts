// The SQLite implementation of Store: one better-sqlite3 connection, migrated and checked at open, shared by all repositories.
import { ConfigError } from '../../errors';
import { SqliteShadowScoreRepository } from './shadow-scores-repository';
import type { Logger } from '../../logging';
import { SqliteAlertLogRepository } from './alert-log-repository';
import { SqliteAlertRuleRepository } from './alert-rules-repository';
import { SqliteApiKeyRepository } from './api-keys-repository';
import { SqliteCustomerRepository } from './customers-repository';
import { SqliteDashboardRepository } from './dashboard-repository';
import { Executor } from './executor';
import { SqliteFeedbackRepository } from './feedback-repository';
import { SqliteJobRepository } from './jobs-repository';
import { migrate } from './migrate';
import { migrations } from './migrations';
import { SqliteModelRepository } from './models-repository';
import { openDatabase } from './open-database';
import { defaultBusyRetry, type BusyRetryOptions } from './retry-busy';
import { SqliteScoreRepository } from './scores-repository';
import { SqliteScoredTextRepository } from './scored-texts-query';
import { SqliteTextRepository } from './texts-repository';
import { SqliteThemeRepository } from './themes-repository';
import { SqliteRateLimitRepository } from './rate-limits-repository';
import type {
  AlertLogRepository,
  AlertRuleRepository,
  ApiKeyRepository,
  CustomerRepository,
  DashboardRepository,
  FeedbackRepository,
  ShadowScoreRepository,
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

export interface SqliteStoreOptions {
  /** Database file (its folder is created), or ':memory:' for tests. */
  path: string;
  logger: Logger;
  /**
   * How long SQLite itself waits for a lock on each try. better-sqlite3 waits synchronously, blocking the event
   * loop, so this stays short and the retries below (which do not block) do the rest. Default 100.
   */
  busyTimeoutMs?: number;
  /** Tries and first back-off for writes that find the database locked. Default 5 tries from 25 ms. */
  busyRetry?: Partial<Pick<BusyRetryOptions, 'attempts' | 'baseDelayMs'>>;
}

export class SqliteStore implements Store {
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

  private constructor(
    private readonly ex: Executor,
    private readonly logger: Logger,
  ) {
    this.customers = new SqliteCustomerRepository(ex, logger);
    this.texts = new SqliteTextRepository(ex, logger);
    this.scores = new SqliteScoreRepository(ex);
    this.shadowScores = new SqliteShadowScoreRepository(ex);
    this.feedback = new SqliteFeedbackRepository(ex);
    this.models = new SqliteModelRepository(ex);
    this.alertRules = new SqliteAlertRuleRepository(ex);
    this.alertLog = new SqliteAlertLogRepository(ex);
    this.jobs = new SqliteJobRepository(ex);
    this.apiKeys = new SqliteApiKeyRepository(ex);
    this.dashboard = new SqliteDashboardRepository(ex);
    this.scoredTexts = new SqliteScoredTextRepository(ex);
    this.themes = new SqliteThemeRepository(ex);
    this.rateLimits = new SqliteRateLimitRepository(ex);
  }

  /** Throws ConfigError when the file cannot be opened, is corrupt or not a database, or has a newer schema. */
  static async create(opts: SqliteStoreOptions): Promise<SqliteStore> {
    if (typeof opts?.path !== 'string' || opts.path === '')
      throw new ConfigError('the database path is empty', { field: 'dbPath' });
    const retry: BusyRetryOptions = {
      attempts: opts.busyRetry?.attempts ?? defaultBusyRetry.attempts,
      baseDelayMs: opts.busyRetry?.baseDelayMs ?? defaultBusyRetry.baseDelayMs,
      logger: opts.logger,
    };
    const db = await openDatabase({ path: opts.path, busyTimeoutMs: opts.busyTimeoutMs ?? 100 });
    try {
      const { from, to } = migrate(db, migrations, opts.logger);
      opts.logger.info({ path: opts.path, schemaVersion: to, migratedFrom: from }, 'store open');
      return new SqliteStore(new Executor(db, retry), opts.logger);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  transaction<T>(fn: (tx: StoreRepositories) => Promise<T> | T): Promise<T> {
    return this.ex.transaction(() => fn(this));
  }

  async dispose(): Promise<void> {
    await this.ex.close(() => {
      // Lets SQLite refresh the statistics its query planner uses; cheap when nothing changed.
      this.ex.db.pragma('optimize');
      this.ex.db.close();
    });
    this.logger.debug('store closed');
  }
}
