// Cuts a region of text into explanation units (sentences, clauses, word groups) without losing offsets into the original.
import type { TextSpan } from './text-span';

export interface SplitUnitsOptions {
  /** Words per group when a clause is too long to be a useful unit on its own. */
  groupWords: number;
}

// Boundaries that separate what a customer says into separately blamable claims. Conjunction clauses keep their
// conjunction ("but the bill doubled") because that is how the phrase reads back to a person.
const SEPARATOR = new RegExp(
  [
    String.raw`(?<=[.!?…]["'”’)\]]*)\s+`, // sentence end; the punctuation stays with its sentence
    String.raw`\s*\n\s*`,
    String.raw`\s*;\s*`,
    String.raw`\s+[-–—]+\s+`,
    String.raw`\s*,\s*(?=(?:but|however|although|though|yet|except|whereas|because|so|and then|and now|and still)\b)`,
    String.raw`\s+(?=(?:but|however)\s)`,
  ].join('|'),
  'gi',
);
const EDGE_JUNK = /[\s,;:\-–—]/;
const CONTENT = /[\p{L}\p{N}]/u;

/** Units inside `region` of `text`, in order; stretches with no letters or digits never become units. */
export function splitUnits(text: string, region: TextSpan, opts: SplitUnitsOptions): TextSpan[] {
  const units: TextSpan[] = [];
  let from = region.start;
  const segment = text.slice(region.start, region.end);
  for (const m of segment.matchAll(SEPARATOR)) {
    const at = region.start + (m.index ?? 0);
    pushClause(text, { start: from, end: at }, opts, units);
    from = at + m[0].length;
  }
  pushClause(text, { start: from, end: region.end }, opts, units);
  return units;
}

function pushClause(text: string, span: TextSpan, opts: SplitUnitsOptions, out: TextSpan[]): void {
  let { start, end } = span;
  while (start < end && EDGE_JUNK.test(text[start])) start++;
  while (end > start && EDGE_JUNK.test(text[end - 1])) end--;
  if (!CONTENT.test(text.slice(start, end))) return;
  out.push(...wordGroups(text, { start, end }, opts.groupWords));
}

/**
 * A clause longer than two groups is cut into near-equal groups of about `groupWords` words: a whole unpunctuated
 * paragraph as one unit would say only "the text is risky", and evenly sized groups avoid a stub at the end.
 */
function wordGroups(text: string, span: TextSpan, groupWords: number): TextSpan[] {
  const words = [...text.slice(span.start, span.end).matchAll(/\S+/g)].map((m) => ({
    start: span.start + (m.index ?? 0),
    end: span.start + (m.index ?? 0) + m[0].length,
  }));
  if (words.length <= 2 * groupWords) return [span];
  const groups = Math.ceil(words.length / groupWords);
  const out: TextSpan[] = [];
  for (let g = 0; g < groups; g++) {
    const first = Math.floor((g * words.length) / groups);
    const last = Math.floor(((g + 1) * words.length) / groups) - 1;
    out.push({ start: words[first].start, end: words[last].end });
  }
  return out;
}
