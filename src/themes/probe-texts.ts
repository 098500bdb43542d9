// A hypothesis test over stored texts: the texts nearest a query's embedding, and how dissatisfied and recent they are.
import type { ScoredTextRecord } from '../store';
import type { ProbeResult } from './theme-types';
import { cosine } from './vector-math';
import { weeklyCounts } from './weekly-counts';

export interface ProbeOptions {
  limit: number;
  /** Dissatisfaction threshold on the text's own risk. */
  minRisk: number;
}

/** Texts embedded in another space (another embedding size) are skipped. */
export function probeTexts(
  texts: readonly ScoredTextRecord[],
  query: Float32Array,
  opts: ProbeOptions,
): Omit<ProbeResult, 'query'> {
  const scored = texts.flatMap((t) =>
    t.embedding.length === query.length ? [{ t, similarity: cosine(t.embedding, query) }] : [],
  );
  // Ties (e.g. the same text stored twice) keep the newer text first.
  scored.sort((a, b) => b.similarity - a.similarity || (a.t.createdAt < b.t.createdAt ? 1 : -1));
  const top = scored.slice(0, opts.limit);
  const matches = top.map(({ t, similarity }) => ({
    textId: t.textId,
    text: t.text,
    risk: t.textRisk,
    similarity,
    source: t.source,
    createdAt: t.createdAt,
  }));
  const n = matches.length;
  return {
    matches,
    shareOfDissatisfied: n ? matches.filter((m) => m.risk >= opts.minRisk).length / n : 0,
    meanRisk: n ? matches.reduce((s, m) => s + m.risk, 0) / n : 0,
    weekly: weeklyCounts(matches.map((m) => m.createdAt)),
  };
}
