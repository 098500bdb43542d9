// The CV scripts' command-line values, checked before any work starts: cv:fine-tune's recipes and folds, cv:text's variants.
import { ValidationError } from '../../src/errors';

export interface FineTuneRecipe {
  name: string;
  epochs: number;
  lr: number;
}

/** "3:3e-4,5:1e-4" → recipes; anything else is refused naming the flag and the bad item. */
export function parseRecipes(spec: string): FineTuneRecipe[] {
  return spec.split(',').map((item) => {
    const parts = item.trim().split(':');
    const [epochs, lr] = parts.map(Number);
    if (parts.length !== 2 || !Number.isInteger(epochs) || epochs < 1 || !(lr > 0) || !Number.isFinite(lr)) {
      throw new ValidationError(
        `--recipes: "${item}" is not epochs:lr (a whole number of epochs ≥ 1 and a positive learning rate, e.g. 3:3e-4)`,
        { field: 'recipes' },
      );
    }
    return { name: `top-layer ${epochs} epochs lr ${lr}`, epochs, lr };
  });
}

/** "--only 0,3" → fold indices in [0, folds); absent: every fold. */
export function parseFolds(only: string | undefined, folds: number): number[] {
  if (!Number.isInteger(folds) || folds < 2) {
    throw new ValidationError(`--folds must be a whole number ≥ 2, got "${folds}"`, { field: 'folds' });
  }
  if (only === undefined) return Array.from({ length: folds }, (_, k) => k);
  return only.split(',').map((item) => {
    const k = Number(item.trim());
    if (!Number.isInteger(k) || k < 0 || k >= folds) {
      throw new ValidationError(`--only: "${item}" is not a fold index from 0 to ${folds - 1}`, { field: 'only' });
    }
    return k;
  });
}

/** A cv:text variant: a head-mode head, or a frozen baseline fitted exactly (TF-IDF, with the embedding when scaled). */
export type TextVariant =
  | { name: string; kind: 'head'; unigrams: boolean; bigrams: boolean }
  | { name: string; kind: 'tfidf'; denseScale?: number };

const TEXT_VARIANT = /^(?:emb(\+uni)?(\+bi)?|tfidf(?:\+emb@(\d+\.?\d*|\.\d+))?)$/;

/** "emb+uni+bi,tfidf,tfidf+emb@0.3" → variants; an unknown one is refused listing the valid forms. */
export function parseTextVariants(spec: string): TextVariant[] {
  return spec.split(',').map((raw) => {
    const name = raw.trim();
    const m = TEXT_VARIANT.exec(name);
    if (!m) {
      throw new ValidationError(
        `--variants: unknown "${raw}"; use emb, emb+uni, emb+bi, emb+uni+bi, tfidf or tfidf+emb@<scale>`,
        { field: 'variants' },
      );
    }
    if (!name.startsWith('tfidf'))
      return { name, kind: 'head', unigrams: m[1] !== undefined, bigrams: m[2] !== undefined };
    return m[3] === undefined ? { name, kind: 'tfidf' } : { name, kind: 'tfidf', denseScale: Number(m[3]) };
  });
}
