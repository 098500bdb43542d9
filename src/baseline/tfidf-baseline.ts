// The TF-IDF + logistic regression baseline every model is shown next to: fitted on the same split, saved in the bundle.
import { fitLogistic, logit, type LogisticModel } from './sparse-logistic-regression';
import { fitVocabulary, TfidfVectorizer } from './tfidf-vectorizer';

export const BASELINE_METHOD = 'tfidf-word-1-2-gram-logistic-regression';

export interface BaselineOptions {
  minDf: number;
  maxFeatures: number;
  c: number;
  maxIterations: number;
}

/** scikit-learn-like defaults (balanced classes, C = 1 on L2-normalised sublinear TF-IDF), capped for bundle size. */
export const DEFAULT_BASELINE_OPTIONS: BaselineOptions = { minDf: 2, maxFeatures: 50_000, c: 1, maxIterations: 200 };

/** What `baseline.json` holds: enough to score new texts exactly as at training time. */
export interface BaselineFile {
  method: typeof BASELINE_METHOD;
  options: BaselineOptions;
  terms: string[];
  idf: number[];
  weights: number[];
  bias: number;
}

export class TfidfBaseline {
  private constructor(
    private readonly vectorizer: TfidfVectorizer,
    private readonly model: LogisticModel,
    readonly options: BaselineOptions,
  ) {}

  static fit(
    texts: readonly string[],
    labels: readonly number[],
    options: BaselineOptions = DEFAULT_BASELINE_OPTIONS,
  ): TfidfBaseline {
    const vectorizer = new TfidfVectorizer(fitVocabulary(texts, options));
    const rows = texts.map((t) => vectorizer.transform(t));
    const model = fitLogistic(rows, labels, vectorizer.size, {
      c: options.c,
      maxIterations: options.maxIterations,
      balanced: true,
    });
    return new TfidfBaseline(vectorizer, model, options);
  }

  static fromFile(file: BaselineFile): TfidfBaseline {
    const n = file.terms.length;
    if (file.method !== BASELINE_METHOD || file.idf.length !== n || file.weights.length !== n)
      throw new Error(`baseline file is not a ${BASELINE_METHOD} model with ${n} terms`);
    return new TfidfBaseline(
      new TfidfVectorizer({ terms: file.terms, idf: file.idf }),
      { weights: Float64Array.from(file.weights), bias: file.bias },
      file.options,
    );
  }

  /** Probability of the positive class per text. */
  predict(texts: readonly string[]): number[] {
    return texts.map((t) => 1 / (1 + Math.exp(-logit(this.model, this.vectorizer.transform(t)))));
  }

  toFile(): BaselineFile {
    const round = (v: number) => Number(v.toPrecision(7));
    return {
      method: BASELINE_METHOD,
      options: this.options,
      terms: this.vectorizer.vocabulary.terms,
      idf: this.vectorizer.vocabulary.idf.map(round),
      weights: Array.from(this.model.weights, round),
      bias: this.model.bias,
    };
  }
}
