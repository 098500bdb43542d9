// Word 1–2-grams of a text, the features of the TF-IDF baseline (lower-cased letters and digits; everything else separates words).
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Unigrams and adjacent-word bigrams ("not good"), in text order, repeats kept (term frequency counts them). */
export function wordNgrams(text: string): string[] {
  const words = text.toLowerCase().match(WORD) ?? [];
  const out = words.slice();
  for (let i = 1; i < words.length; i++) out.push(`${words[i - 1]} ${words[i]}`);
  return out;
}
