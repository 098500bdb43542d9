// Themes over scored texts as named steps: dissatisfied → cluster → keywords → quotes → size, risk, churn lift, trend.
import type { ScoredTextRecord } from '../store';
import { churnLift, churnRate } from './churn-lift';
import { classTfIdfKeywords } from './class-tf-idf';
import { clusterEmbeddings } from './cluster-embeddings';
import { representativeQuotes } from './representative-quotes';
import { DEFAULT_THEME_OPTIONS, type ThemeOptions } from './theme-options';
import type { Theme } from './theme-types';
import { textTerms } from './tokenize-words';
import { dot, normalizeInPlace } from './vector-math';
import { weekRange, weeklyCounts } from './weekly-counts';

export interface ComputeThemesInput {
  /** Every text in view (the filters applied), dissatisfied or not. */
  texts: readonly ScoredTextRecord[];
  /** Each customer's latest known outcome (true = churned). */
  outcomes: ReadonlyMap<string, boolean>;
  /** Texts whose own risk (textRisk) is at least this are the dissatisfied ones clustered. */
  minRisk: number;
  options?: Partial<ThemeOptions>;
}

export interface FittedTheme extends Omit<Theme, 'id'> {
  /** Unit-length mean embedding, what stable ids are matched on. */
  centroid: Float32Array;
}

export interface ThemeFit {
  /** Largest first. */
  themes: FittedTheme[];
  dissatisfied: ScoredTextRecord[];
  /** Per dissatisfied text: its theme's index in `themes`, or -1. */
  assignments: number[];
  unassignedShare: number;
  totalTexts: number;
  silhouettes: { k: number; silhouette: number }[];
}

export function computeThemes(input: ComputeThemesInput): ThemeFit {
  const opts = { ...DEFAULT_THEME_OPTIONS, ...input.options };
  const dissatisfied = selectDissatisfied(input.texts, input.minRisk);
  const rows = dissatisfied.map((t) => unit(t.embedding));
  const clustering = clusterEmbeddings(rows, opts);
  const { labels, centroids } = largestFirst(clustering.labels, clustering.centroids);
  const keywords = classTfIdfKeywords(
    dissatisfied.map((t) => textTerms(t.text ?? '')),
    labels,
    centroids.length,
    { top: opts.keywords, minTexts: opts.keywordMinTexts },
  );
  const base = {
    outcomes: input.outcomes,
    overallRate: churnRate(customersOf(input.texts), input.outcomes).rate,
    minCustomers: opts.minCustomersForLift,
  };
  const range = weekRange(dissatisfied.map((t) => t.createdAt));
  const themes = centroids.map((centroid, c): FittedTheme => {
    const indexes = labels.flatMap((l, i) => (l === c ? [i] : []));
    const members = indexes.map((i) => dissatisfied[i]);
    const candidates = indexes.map((i) => ({
      textId: dissatisfied[i].textId,
      text: dissatisfied[i].text,
      risk: dissatisfied[i].textRisk,
      similarity: dot(rows[i], centroid),
    }));
    return {
      label: keywords[c].slice(0, 3).join(' · ') || `theme ${c + 1}`,
      keywords: keywords[c],
      quotes: representativeQuotes(candidates, { count: opts.quotes, maxChars: opts.quoteChars }),
      size: members.length,
      meanRisk: members.reduce((s, t) => s + t.textRisk, 0) / members.length,
      churnLift: churnLift(customersOf(members), base),
      weekly: weeklyCounts(
        members.map((t) => t.createdAt),
        range,
      ),
      centroid,
    };
  });
  const unassigned = labels.filter((l) => l < 0).length;
  return {
    themes,
    dissatisfied,
    assignments: labels,
    unassignedShare: dissatisfied.length ? unassigned / dissatisfied.length : 0,
    totalTexts: input.texts.length,
    silhouettes: clustering.silhouettes,
  };
}

/**
 * At or above the threshold, and embedded like the newest text (a model with another embedding size cannot share
 * a space with it).
 */
function selectDissatisfied(texts: readonly ScoredTextRecord[], minRisk: number): ScoredTextRecord[] {
  const dims = texts.length ? texts[texts.length - 1].embedding.length : 0;
  return texts.filter((t) => t.textRisk >= minRisk && t.embedding.length === dims);
}

function unit(v: Float32Array): Float32Array {
  const norm = Math.sqrt(dot(v, v));
  return Math.abs(norm - 1) < 1e-3 ? v : (normalizeInPlace(Float32Array.from(v)) as Float32Array);
}

/** Renumbers themes by size, largest first (-1 stays -1). */
function largestFirst(labels: readonly number[], centroids: readonly Float32Array[]) {
  const sizes = centroids.map((_, c) => labels.filter((l) => l === c).length);
  const order = centroids.map((_, c) => c).sort((a, b) => sizes[b] - sizes[a] || a - b);
  const rank = new Map(order.map((c, r) => [c, r]));
  return { labels: labels.map((l) => (l < 0 ? -1 : rank.get(l)!)), centroids: order.map((c) => centroids[c]) };
}

function customersOf(texts: readonly ScoredTextRecord[]): string[] {
  return texts.flatMap((t) => (t.customerId === null ? [] : [t.customerId]));
}
