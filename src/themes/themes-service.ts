// Themes and probes over the store: resolves filters, caches fits per filter set and data revision, keeps ids stable.
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../errors';
import type { Logger } from '../logging';
import type { Store } from '../store';
import { computeThemes, type ThemeFit } from './compute-themes';
import { matchThemeIds } from './match-theme-ids';
import { probeTexts } from './probe-texts';
import { normalizeFilters, toStoreQuery } from './theme-filters';
import type { ThemeOptions } from './theme-options';
import type { ProbeResult, ThemeFilters, ThemesResult } from './theme-types';
import { normalizeInPlace } from './vector-math';

export interface ThemesServiceOptions {
  store: Store;
  /** The dissatisfaction threshold when the filters name no minRisk: the active model's `high` band. */
  defaultMinRisk: () => number;
  /** Embeds a probe query with the active model; without it, probes are refused. */
  embed?: (text: string) => Promise<Float32Array>;
  logger: Logger;
  clock?: () => Date;
  options?: Partial<ThemeOptions>;
  /** Filter sets whose fits are kept. Default 8. */
  cacheSize?: number;
  /** Centroid cosine similarity from which a new theme keeps a known theme's id. Default 0.9. */
  idMatchSimilarity?: number;
}

export interface ThemesFitResult {
  result: ThemesResult;
  /** The fit behind the result, themes in the same order (for quality checks and benchmarks). */
  fit: ThemeFit;
}

export class ThemesService {
  private readonly results = new Map<string, Promise<ThemesResult>>();

  constructor(private readonly opts: ThemesServiceOptions) {}

  /** Cached while no score has been written or deleted since, per filter set and threshold. */
  async themes(filters: ThemeFilters = {}): Promise<ThemesResult> {
    const resolved = this.resolve(filters);
    const key = JSON.stringify([resolved, await this.opts.store.scoredTexts.revision()]);
    const cached = this.results.get(key);
    if (cached) return cached;
    const pending = this.compute(resolved).then((r) => r.result);
    this.remember(key, pending);
    return pending;
  }

  /** A fresh fit with everything behind the result (uncached: it holds every embedding in view). */
  async fit(filters: ThemeFilters = {}): Promise<ThemesFitResult> {
    return this.compute(this.resolve(filters));
  }

  async probe(request: { query: string; filters?: ThemeFilters; limit?: number }): Promise<ProbeResult> {
    if (!this.opts.embed)
      throw new ValidationError('probing needs a text model to embed the query; none is loaded', { field: 'query' });
    const filters = normalizeFilters(request.filters ?? {});
    const [embedding, texts] = await Promise.all([
      this.opts.embed(request.query),
      this.opts.store.scoredTexts.list(toStoreQuery(filters)),
    ]);
    const minRisk = filters.minRisk ?? this.opts.defaultMinRisk();
    const query = normalizeInPlace(Float32Array.from(embedding)) as Float32Array;
    return { query: request.query, ...probeTexts(texts, query, { limit: request.limit ?? 20, minRisk }) };
  }

  private async compute(filters: ThemeFilters & { minRisk: number }): Promise<ThemesFitResult> {
    const started = Date.now();
    const [texts, outcomes] = await Promise.all([
      this.opts.store.scoredTexts.list(toStoreQuery(filters)),
      this.opts.store.scoredTexts.outcomes(),
    ]);
    const fit = computeThemes({
      texts,
      outcomes: new Map(outcomes.map((o) => [o.customerId, o.churned])),
      minRisk: filters.minRisk,
      options: this.opts.options,
    });
    const ids = await this.stableIds(fit);
    const now = (this.opts.clock ?? (() => new Date()))();
    this.opts.logger.info(
      { filters, texts: texts.length, themes: fit.themes.length, ms: Date.now() - started },
      'themes computed',
    );
    return { result: toResult(fit, ids, filters, now), fit };
  }

  /** Known ids for recognised themes, new ones otherwise; every theme's centroid is then stored for the next fit. */
  private async stableIds(fit: ThemeFit): Promise<string[]> {
    if (fit.themes.length === 0) return [];
    const known = await this.opts.store.themes.list();
    const matched = matchThemeIds(
      fit.themes.map((t) => t.centroid),
      known,
      this.opts.idMatchSimilarity ?? 0.9,
    );
    const ids = matched.map((id) => id ?? `th_${randomUUID().replaceAll('-', '').slice(0, 12)}`);
    await this.opts.store.themes.saveAll(
      fit.themes.map((t, i) => ({ id: ids[i], centroid: t.centroid, label: t.label, keywords: t.keywords })),
    );
    return ids;
  }

  private resolve(filters: ThemeFilters): ThemeFilters & { minRisk: number } {
    return { ...normalizeFilters(filters), minRisk: filters.minRisk ?? this.opts.defaultMinRisk() };
  }

  private remember(key: string, pending: Promise<ThemesResult>): void {
    this.results.set(key, pending);
    pending.catch(() => this.results.delete(key));
    const limit = this.opts.cacheSize ?? 8;
    while (this.results.size > limit) this.results.delete(this.results.keys().next().value!);
  }
}

function toResult(
  fit: ThemeFit,
  ids: readonly string[],
  filters: ThemeFilters & { minRisk: number },
  now: Date,
): ThemesResult {
  return {
    themes: fit.themes.map(({ centroid: _centroid, ...theme }, i) => ({ id: ids[i], ...theme })),
    unassignedShare: fit.unassignedShare,
    totalTexts: fit.totalTexts,
    dissatisfiedTexts: fit.dissatisfied.length,
    computedAt: now.toISOString(),
    filters,
  };
}
