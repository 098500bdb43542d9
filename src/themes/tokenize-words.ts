// Words for keywords: markup stripped, lowercase letters only, stop words out, plus bigrams of adjacent content words.
import { STOP_WORDS } from './stop-words';

const TAG = /<[^>]*>/g;
const APOSTROPHE = /['’]/g;
/** Runs of letters, or runs of anything else but spaces (punctuation, digits), which break bigrams. */
const TOKENS = /[a-z]+|[^a-z\s]+/g;
const LETTERS = /^[a-z]+$/;

/**
 * The distinct terms of a text: content words and bigrams of words adjacent in the text (a stop word or
 * punctuation between two content words breaks the pair, so "lack of flavor" gives no bigram but "dog food" does).
 */
export function textTerms(text: string): Set<string> {
  const terms = new Set<string>();
  const tokens = text.replace(TAG, ' ').toLowerCase().replace(APOSTROPHE, '').match(TOKENS) ?? [];
  let previous: string | null = null;
  for (const w of tokens) {
    const content = w.length >= 3 && LETTERS.test(w) && !STOP_WORDS.has(w);
    if (content) {
      terms.add(w);
      if (previous) terms.add(`${previous} ${w}`);
    }
    previous = content ? w : null;
  }
  return terms;
}
