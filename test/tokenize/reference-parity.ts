// Test helper: the tfjs-models USE tokenizer as the reference, and a comparison that explains every difference.
import { Tokenizer as ReferenceTokenizer } from '@tensorflow-models/universal-sentence-encoder/dist/tokenizer/index.js';
import type { RawVocab } from '../../src/tokenize';

export { ReferenceTokenizer };

/**
 * 'tie': both id sequences spell the same text and reach the same score, summed left to right in float64
 * exactly as the reference does, so both are optimal. The reference keeps the latest-starting candidate on
 * a tie (`>=`), the Unigram model of `tokenizers` (like SentencePiece) the earliest; no tokenizer.json can
 * change that, because permutations of the same pieces ("!!!!"+"!" vs "!"+"!!!!") score alike under any
 * per-piece scores. 'different': anything else — a real conversion bug.
 */
export type MismatchKind = 'tie' | 'different';

export interface Mismatch {
  index: number;
  text: string;
  ours: number[];
  reference: number[];
  kind: MismatchKind;
}

/** The reference's path score: `score + best`, where its null scores add as 0 and unknowns score 0. */
export function referenceScore(ids: readonly number[], vocab: RawVocab): number {
  let best = 0;
  for (const id of ids) best = (vocab[id][1] ?? 0) + best;
  return best;
}

export function classify(ours: readonly number[], reference: readonly number[], vocab: RawVocab): MismatchKind {
  let start = 0;
  while (start < ours.length && start < reference.length && ours[start] === reference[start]) start++;
  let endO = ours.length;
  let endR = reference.length;
  while (endO > start && endR > start && ours[endO - 1] === reference[endR - 1]) {
    endO--;
    endR--;
  }
  const a = ours.slice(start, endO);
  const b = reference.slice(start, endR);
  // Unknown ids hide how many characters they cover, so a window with one proves nothing.
  if (a.includes(0) || b.includes(0)) return 'different';
  const spell = (ids: number[]) => ids.map((id) => vocab[id][0]).join('');
  const sameText = spell(a) === spell(b);
  return sameText && referenceScore(ours, vocab) === referenceScore(reference, vocab) ? 'tie' : 'different';
}

export function compareAll(
  texts: readonly string[],
  ours: readonly (readonly number[])[],
  reference: readonly (readonly number[])[],
  vocab: RawVocab,
): Mismatch[] {
  const mismatches: Mismatch[] = [];
  texts.forEach((text, index) => {
    const a = ours[index];
    const b = reference[index];
    if (a.length === b.length && a.every((id, j) => id === b[j])) return;
    mismatches.push({ index, text, ours: [...a], reference: [...b], kind: classify(a, b, vocab) });
  });
  return mismatches;
}

/** A failure message a person can act on: the text, where the ids part, and the pieces on both sides. */
export function describeMismatch(m: Mismatch, vocab: RawVocab): string {
  let j = 0;
  while (m.ours[j] === m.reference[j]) j++;
  const around = (ids: number[]) =>
    ids
      .slice(Math.max(0, j - 3), j + 6)
      .map((id) => `${id}:${JSON.stringify(vocab[id][0])}`)
      .join(' ');
  const text = m.text.length > 300 ? `${m.text.slice(0, 300)}… (${m.text.length} chars)` : m.text;
  return [
    `text #${m.index} (${m.kind}): ${JSON.stringify(text)}`,
    `first difference at id position ${j} (ours ${m.ours.length} ids, reference ${m.reference.length})`,
    `  ours:      ${around(m.ours)}`,
    `  reference: ${around(m.reference)}`,
  ].join('\n');
}
