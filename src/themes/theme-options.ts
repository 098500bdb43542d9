// Tuning of the themes engine in one place, with the defaults measured on the fine-food reviews (see README "Themes").

export interface ThemeOptions {
  /** Seed of every sample and k-means++ start: the same texts give the same themes. */
  seed: number;
  /** PCA components the candidate clusterings are compared in. */
  components: number;
  /** Texts the PCA and the choice of k are computed on (the silhouette is quadratic in it). */
  sample: number;
  minK: number;
  maxK: number;
  /**
   * The largest k whose silhouette is within this of the best wins: finer themes when separation is as good. On the
   * `other` reviews the silhouette of one k moved by up to 0.02 between seeds (sd 0.001–0.018 for k 4–12), so
   * differences below that are noise.
   */
  silhouetteTolerance: number;
  /** Passes of nearest-centroid reassignment over all texts in the full embedding space after the sample fit. */
  refinePasses: number;
  /** Themes smaller than this (and than minThemeShare of the texts) are dissolved into their neighbours. */
  minThemeSize: number;
  minThemeShare: number;
  /** A text joins its nearest theme only at this cosine similarity or above; below it stays unassigned. */
  assignThreshold: number;
  keywords: number;
  /** Texts of a theme a keyword must occur in. */
  keywordMinTexts: number;
  quotes: number;
  /** Quotes are cut at a word boundary near this many characters. */
  quoteChars: number;
  /** Customers with a known outcome a theme needs before its churn lift is reported. */
  minCustomersForLift: number;
}

export const DEFAULT_THEME_OPTIONS: ThemeOptions = {
  seed: 7,
  components: 50,
  sample: 1500,
  minK: 4,
  maxK: 16,
  silhouetteTolerance: 0.02,
  refinePasses: 2,
  minThemeSize: 5,
  minThemeShare: 0.01,
  assignThreshold: 0.35,
  keywords: 10,
  keywordMinTexts: 3,
  quotes: 3,
  quoteChars: 240,
  minCustomersForLift: 5,
};
