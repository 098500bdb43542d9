// Words for keywords: markup stripped, lowercase letters only, stop words out, plus bigrams of adjacent content words.
import { STOP_WORDS } from './stop-words';

const TAG = /<[^>]*>/g;
const APOSTROPHE = /['’]/g;
const NON_LETTERS = /[^a-z]+/;

/**
 * The distinct terms of a text: content words and bigrams of words adjacent in the text (a stop word between
 * two content words breaks the pair, so "lack of flavor" gives no bigram but "dog food" does).
 */
export function textTerms(text: string): Set<string> {
  const terms = new Set<string>();
  const words = text.replace(TAG, ' ').toLowerCase().replace(APOSTROPHE, '').split(NON_LETTERS);
  let previous: string | null = null;
  for (const w of words) {
    if (w === '') continue;
    const content = w.length >= 3 && !STOP_WORDS.has(w);
    if (content) {
      terms.add(w);
      if (previous) terms.add(`${previous} ${w}`);
    }
    previous = content ? w : null;
  }
  return terms;
}
