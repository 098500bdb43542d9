// cv:fine-tune's flags: recipes and fold indices are parsed, and bad values refused naming the flag and the item.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseFolds, parseRecipes, parseTextVariants } from '../../scripts/lib/cv-recipes';
import { ValidationError } from '../../src/errors';

describe('parseRecipes', () => {
  it('reads epochs:lr pairs', () => {
    expect(parseRecipes('3:3e-4, 5:0.0001')).toEqual([
      { name: 'top-layer 3 epochs lr 0.0003', epochs: 3, lr: 3e-4 },
      { name: 'top-layer 5 epochs lr 0.0001', epochs: 5, lr: 1e-4 },
    ]);
  });

  it.each(['3', '3:', ':3e-4', '0:3e-4', '2.5:3e-4', '3:0', '3:-1', '3:abc', '3:3e-4:1'])('refuses "%s"', (bad) => {
    expect(() => parseRecipes(bad)).toThrow(ValidationError);
    expect(() => parseRecipes(bad)).toThrow(/--recipes: .* is not epochs:lr/);
  });
});

describe('parseFolds', () => {
  it('gives every fold by default and the chosen ones with --only', () => {
    expect(parseFolds(undefined, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(parseFolds('3, 0', 5)).toEqual([3, 0]);
  });

  it('refuses indices outside the folds and a fold count below 2', () => {
    expect(() => parseFolds('5', 5)).toThrow(/--only: "5" is not a fold index from 0 to 4/);
    expect(() => parseFolds('-1', 5)).toThrow(ValidationError);
    expect(() => parseFolds('x', 5)).toThrow(ValidationError);
    expect(() => parseFolds(undefined, 1)).toThrow(/--folds must be a whole number ≥ 2/);
  });
});

describe('npm run cv:fine-tune with a bad flag', () => {
  it('exits 2 with one line naming the flag, before reading any data', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/cv-fine-tune.ts', '--recipes', '3:fast'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      'cv:fine-tune: --recipes: "3:fast" is not epochs:lr (a whole number of epochs ≥ 1 and a positive learning rate, e.g. 3:3e-4)',
    );
  });

  it('refuses a thread count that is not auto or 1–64 the same way', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/cv-fine-tune.ts', '--threads', '65'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('cv:fine-tune: --threads must be auto or a whole number from 1 to 64, got "65"');
  });
});

describe('parseTextVariants', () => {
  it('reads head variants and the frozen baselines with their embedding scale', () => {
    expect(parseTextVariants('emb,emb+uni+bi, emb+bi,tfidf,tfidf+emb@0.3,tfidf+emb@.5')).toEqual([
      { name: 'emb', kind: 'head', unigrams: false, bigrams: false },
      { name: 'emb+uni+bi', kind: 'head', unigrams: true, bigrams: true },
      { name: 'emb+bi', kind: 'head', unigrams: false, bigrams: true },
      { name: 'tfidf', kind: 'tfidf' },
      { name: 'tfidf+emb@0.3', kind: 'tfidf', denseScale: 0.3 },
      { name: 'tfidf+emb@.5', kind: 'tfidf', denseScale: 0.5 },
    ]);
  });

  it.each(['foo', 'uni', 'emb+bi+uni', 'tfidf+emb', 'tfidf+emb@', 'tfidf+emb@x', 'tfidf+emb@-1', ''])(
    'refuses "%s", naming the flag and the valid forms',
    (bad) => {
      expect(() => parseTextVariants(bad)).toThrow(ValidationError);
      expect(() => parseTextVariants(bad)).toThrow(/--variants: unknown .*; use emb, emb\+uni, .* tfidf\+emb@<scale>/);
    },
  );
});

describe('npm run cv:text with a bad variant', () => {
  it('exits 2 with one line naming the flag, before reading any data', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/cv-text-model.ts', '--variants', 'emb,tfidf+emb@x'],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      'cv:text: --variants: unknown "tfidf+emb@x"; use emb, emb+uni, emb+bi, emb+uni+bi, tfidf or tfidf+emb@<scale>',
    );
  });
});
