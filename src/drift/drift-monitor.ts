// Drift of stored scored texts against the active model's reference: on demand for a window, and cached for /metrics and alerts.
import { DRIFT_SIGNALS, type DriftReference } from '../bundle';
import type { DriftConfig } from '../config';
import { InsufficientDataError } from '../errors';
import type { Logger } from '../logging';
import type { ModelRegistry } from '../models';
import type { Store, TextSource } from '../store';
import { compareToReference, type DriftSignalResult, type DriftThresholds } from './compare-to-reference';

const DAY_MS = 86_400_000;

export interface DriftWindow {
  from: string;
  to: string;
  count: number;
}

export type DriftReport =
  | {
      model: string;
      reference: { texts: number; createdAt: string; engine: DriftReference['engine'] };
      window: DriftWindow;
      source: TextSource | null;
      signals: DriftSignalResult[];
    }
  | { model: string; reference: null; reason: string; window: DriftWindow; source: TextSource | null; signals: [] };

export interface DriftQuery {
  from?: Date;
  /** Exclusive. */
  to?: Date;
  source?: TextSource;
}

export interface DriftMonitorOptions {
  store: Store;
  models: ModelRegistry;
  settings: DriftConfig;
  logger: Logger;
  clock?: () => Date;
  /** Called with each refreshed default-window report that has a reference (drift_above alerts). */
  onReport?: (report: DriftReport) => void;
  /** Also refresh every refreshSeconds without a scrape, so drift alerts fire on a server nobody scrapes. */
  background?: boolean;
}

export class DriftMonitor {
  private cached: { at: number; report: DriftReport | null } | undefined;
  private refreshing: Promise<DriftReport | null> | undefined;
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly opts: DriftMonitorOptions) {}

  /** Async like every resource owner's create, though nothing here waits yet. */
  static create(opts: DriftMonitorOptions): Promise<DriftMonitor> {
    const monitor = new DriftMonitor(opts);
    if (opts.background) {
      monitor.timer = setInterval(() => void monitor.latest(), opts.settings.refreshSeconds * 1000);
      monitor.timer.unref();
    }
    return Promise.resolve(monitor);
  }

  /** Stops the background refresh and waits for one in flight. */
  async dispose(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.refreshing;
  }

  get thresholds(): DriftThresholds {
    const s = this.opts.settings;
    return Object.fromEntries(DRIFT_SIGNALS.map((n) => [n, s.thresholds[n] ?? s.psiThreshold])) as DriftThresholds;
  }

  get minTexts(): number {
    return this.opts.settings.minTexts;
  }

  /** Default window: the windowDays before `to` (default now). InsufficientDataError below minTexts texts. */
  async report(query: DriftQuery = {}): Promise<DriftReport> {
    const now = this.now();
    const to = query.to ?? (query.from ? new Date(Math.max(now.getTime(), query.from.getTime())) : now);
    const from = query.from ?? new Date(to.getTime() - this.opts.settings.windowDays * DAY_MS);
    const model = this.opts.models.active();
    const reference = model.driftReference;
    const source = query.source ?? null;
    const rows = await this.opts.store.scoredTexts.driftValues({
      modelVersion: model.version,
      from,
      to,
      source: query.source,
    });
    const window = { from: from.toISOString(), to: to.toISOString(), count: rows.length };
    if (!reference) {
      const reason = `model ${model.version} has no drift-reference.json; run npm run drift:reference -- --model ${model.dir}`;
      return { model: model.version, reference: null, reason, window, source, signals: [] };
    }
    if (rows.length < this.minTexts) {
      throw new InsufficientDataError(
        `count: the window holds ${rows.length} texts scored by ${model.version}; drift needs at least ${this.minTexts} ` +
          '(monitoring.drift.minTexts); widen from/to',
        { field: 'count' },
      );
    }
    const live = rows.map((r) => ({ ...r, risk: r.textRisk }));
    const signals = compareToReference(reference, live, { thresholds: this.thresholds, sourceFilter: query.source });
    return {
      model: model.version,
      reference: { texts: reference.texts, createdAt: reference.createdAt, engine: reference.engine },
      window,
      source,
      signals,
    };
  }

  /**
   * The default window's report, recomputed at most every refreshSeconds (one query in flight at a time), so /metrics
   * can call it on every scrape. Null while the window holds too few texts or the query fails (logged).
   */
  async latest(): Promise<DriftReport | null> {
    const ttl = this.opts.settings.refreshSeconds * 1000;
    const now = this.now().getTime();
    if (this.cached && now - this.cached.at < ttl) return this.cached.report;
    this.refreshing ??= this.refresh(now).finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refresh(at: number): Promise<DriftReport | null> {
    let report: DriftReport | null = null;
    try {
      report = await this.report();
    } catch (err) {
      if (!(err instanceof InsufficientDataError)) this.opts.logger.warn({ err }, 'drift refresh failed');
    }
    this.cached = { at, report };
    if (report?.reference) this.opts.onReport?.(report);
    return report;
  }

  private now(): Date {
    return (this.opts.clock ?? (() => new Date()))();
  }
}
