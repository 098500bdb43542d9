// TF-IDF word n-grams and a dense vector per text (a frozen sentence embedding) in one logistic regression: the strongest frozen baseline.
import { fitLogistic, logit, type LogisticModel } from './sparse-logistic-regression';
import { DEFAULT_BASELINE_OPTIONS, type BaselineOptions } from './tfidf-baseline';
import { fitVocabulary, TfidfVectorizer, type SparseRow } from './tfidf-vectorizer';

export interface TfidfDenseOptions extends BaselineOptions {
  /**
   * Multiplies the dense vector before the fit. Both parts are L2-normalised, so under one L2 penalty the scale sets
   * how much the fit leans on the embedding against the words (cv:text measures it; 1 is not the best on reviews).
   */
  denseScale: number;
}

/**
 * Fitted on the training rows only; scores (texts, dense vectors) pairs as logits. Not saved in bundles: it exists
 * so cross-validation can show the fine-tuned model next to the best a frozen encoder plus TF-IDF reaches.
 */
export class TfidfDenseBaseline {
  private constructor(
    private readonly vectorizer: TfidfVectorizer,
    private readonly model: LogisticModel,
    private readonly denseDim: number,
    private readonly denseScale: number,
  ) {}

  static fit(
    texts: readonly string[],
    dense: readonly Float32Array[],
    labels: readonly number[],
    options: TfidfDenseOptions = { ...DEFAULT_BASELINE_OPTIONS, denseScale: 1 },
  ): TfidfDenseBaseline {
    if (dense.length !== texts.length || labels.length !== texts.length) {
      throw new Error(
        `${texts.length} texts, ${dense.length} dense vectors and ${labels.length} labels: counts differ`,
      );
    }
    const dim = dense[0]?.length ?? 0;
    if (dense.some((d) => d.length !== dim)) throw new Error(`dense vectors must all have ${dim} values`);
    const vectorizer = new TfidfVectorizer(fitVocabulary(texts, options));
    const rows = texts.map((t, i) => denseRow(vectorizer, t, dense[i], options.denseScale));
    const model = fitLogistic(rows, labels, vectorizer.size + dim, {
      c: options.c,
      maxIterations: options.maxIterations,
      balanced: true,
    });
    return new TfidfDenseBaseline(vectorizer, model, dim, options.denseScale);
  }

  logits(texts: readonly string[], dense: readonly Float32Array[]): number[] {
    return texts.map((t, i) => {
      if (dense[i].length !== this.denseDim)
        throw new Error(`dense vector has ${dense[i].length} values, expected ${this.denseDim}`);
      return logit(this.model, denseRow(this.vectorizer, t, dense[i], this.denseScale));
    });
  }
}

/** The text's TF-IDF row with the scaled dense vector appended after the vocabulary's columns. */
function denseRow(vectorizer: TfidfVectorizer, text: string, dense: Float32Array, scale: number): SparseRow {
  const words = vectorizer.transform(text);
  const n = words.indices.length;
  const indices = new Int32Array(n + dense.length);
  const values = new Float32Array(n + dense.length);
  indices.set(words.indices);
  values.set(words.values);
  for (let d = 0; d < dense.length; d++) {
    indices[n + d] = vectorizer.size + d;
    values[n + d] = scale * dense[d];
  }
  return { indices, values };
}
