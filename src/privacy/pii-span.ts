// The shape every PII detector reports: a half-open range of the text it was given and what kind of data it holds.

export type PiiKind = 'email' | 'phone' | 'card' | 'iban';

export interface PiiSpan {
  kind: PiiKind;
  /** text.slice(start, end) is the personal data found. */
  start: number;
  end: number;
}

/** A detector finds spans of one kind; it may assume earlier detectors' finds are masked out of the text. */
export type PiiDetector = (text: string) => PiiSpan[];

/** Separators people put inside numbers: spaces (incl. no-break and thin spaces) and hyphen-like dashes. */
export const NUMBER_SPACES = ' \u00a0\u2007\u2009\u202f';
export const NUMBER_DASHES = '\\-\u2010\u2011\u2012\u2013\u2014';

/** A letter, digit or underscore right next to a match means it is part of a longer token, not a value of its own. */
export function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);
}

/**
 * Runs a greedy candidate pattern over the text. `accept` returns the [start, end] of the personal data within a
 * candidate, or null. After a rejection the search resumes one character later when `retryInside` (so a real value
 * starting inside a rejected candidate is still found: only safe for patterns of bounded length, or the scan turns
 * quadratic on hostile input), else after the candidate.
 */
export function scanCandidates(
  text: string,
  pattern: RegExp,
  opts: { kind: PiiSpan['kind']; retryInside: boolean },
  accept: (candidate: string, at: number) => [number, number] | null,
): PiiSpan[] {
  const kind = opts.kind;
  const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  const spans: PiiSpan[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const found = accept(m[0], m.index);
    if (found) {
      spans.push({ kind, start: found[0], end: found[1] });
      re.lastIndex = Math.max(found[1], m.index + 1);
    } else {
      re.lastIndex = opts.retryInside ? m.index + 1 : m.index + Math.max(1, m[0].length);
    }
  }
  return spans;
}
