// TF-IDF features with sublinear term frequency, smoothed idf and L2-normalised rows, fitted on the training texts only.
import { wordNgrams } from './word-ngrams';

/** One document as sorted feature indices and their values (a CSR row). */
export interface SparseRow {
  indices: Int32Array;
  values: Float32Array;
}

export interface TfidfVocabulary {
  terms: string[];
  idf: number[];
}

export interface FitVocabularyOptions {
  /** A term must occur in at least this many training documents. */
  minDf: number;
  /** Keep at most this many terms, the most frequent by document frequency. */
  maxFeatures: number;
}

export function fitVocabulary(texts: readonly string[], o: FitVocabularyOptions): TfidfVocabulary {
  const df = new Map<string, number>();
  for (const t of texts) for (const term of new Set(wordNgrams(t))) df.set(term, (df.get(term) ?? 0) + 1);
  const kept = [...df.entries()]
    .filter(([, n]) => n >= o.minDf)
    // Ties broken by the term itself so the vocabulary is the same on every run.
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, o.maxFeatures)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const n = texts.length;
  return { terms: kept.map(([t]) => t), idf: kept.map(([, d]) => Math.log((1 + n) / (1 + d)) + 1) };
}

export class TfidfVectorizer {
  private readonly index: Map<string, number>;

  constructor(readonly vocabulary: TfidfVocabulary) {
    this.index = new Map(vocabulary.terms.map((t, i) => [t, i]));
  }

  get size(): number {
    return this.vocabulary.terms.length;
  }

  transform(text: string): SparseRow {
    const tf = new Map<number, number>();
    for (const term of wordNgrams(text)) {
      const j = this.index.get(term);
      if (j !== undefined) tf.set(j, (tf.get(j) ?? 0) + 1);
    }
    const indices = Int32Array.from([...tf.keys()].sort((a, b) => a - b));
    const values = new Float32Array(indices.length);
    let norm = 0;
    indices.forEach((j, k) => {
      values[k] = (1 + Math.log(tf.get(j) ?? 1)) * this.vocabulary.idf[j];
      norm += values[k] * values[k];
    });
    if (norm > 0) for (let k = 0; k < values.length; k++) values[k] /= Math.sqrt(norm);
    return { indices, values };
  }
}
