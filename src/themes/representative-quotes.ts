// Quotes for a theme: its texts nearest the centroid, duplicates dropped, short ones preferred, trimmed for reading.
import type { ThemeQuote } from './theme-types';

export interface QuoteCandidate {
  textId: string;
  text: string | null;
  risk: number;
  /** Cosine similarity to the theme's centroid. */
  similarity: number;
}

export interface QuoteOptions {
  count: number;
  maxChars: number;
}

/** How many of the nearest texts are considered; among them, texts that fit maxChars come first. */
const POOL_PER_QUOTE = 5;

export function representativeQuotes(candidates: readonly QuoteCandidate[], opts: QuoteOptions): ThemeQuote[] {
  const seen = new Set<string>();
  const pool: (QuoteCandidate & { text: string; rank: number })[] = [];
  const ranked = [...candidates].sort((a, b) => b.similarity - a.similarity);
  for (const c of ranked) {
    if (pool.length >= opts.count * POOL_PER_QUOTE) break;
    const text = c.text === null ? '' : readable(c.text);
    const key = text.toLowerCase();
    if (text === '' || seen.has(key)) continue;
    seen.add(key);
    pool.push({ ...c, text, rank: pool.length });
  }
  // A long review wanders over several topics; among near-equals, the one that fits says the theme best.
  pool.sort((a, b) => Number(a.text.length > opts.maxChars) - Number(b.text.length > opts.maxChars) || a.rank - b.rank);
  return pool.slice(0, opts.count).map((c) => ({ textId: c.textId, text: trim(c.text, opts.maxChars), risk: c.risk }));
}

/** Markup (reviews carry <br />) and runs of whitespace removed. */
function readable(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function trim(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxChars * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}
