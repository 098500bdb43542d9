// TF-IDF features: vocabulary from training texts only, smoothed idf, sublinear tf, unit-length rows.
import { describe, expect, it } from 'vitest';
import { fitVocabulary, TfidfVectorizer } from '../../src/baseline/tfidf-vectorizer';
import { wordNgrams } from '../../src/baseline/word-ngrams';

describe('wordNgrams', () => {
  it('lower-cases, keeps contractions and adds adjacent bigrams', () => {
    expect(wordNgrams("Not good, DON'T buy")).toEqual([
      'not',
      'good',
      "don't",
      'buy',
      'not good',
      "good don't",
      "don't buy",
    ]);
  });
});

describe('TfidfVectorizer', () => {
  const texts = ['bad bad taste', 'good taste', 'good price', 'bad price'];
  const vocab = fitVocabulary(texts, { minDf: 2, maxFeatures: 100 });

  it('keeps terms seen in at least minDf texts, with idf = ln((1+n)/(1+df)) + 1', () => {
    expect(vocab.terms).toEqual(['bad', 'good', 'price', 'taste']);
    vocab.idf.forEach((v) => expect(v).toBeCloseTo(Math.log(5 / 3) + 1, 12));
  });

  it('caps the vocabulary at maxFeatures, the most frequent first', () => {
    const small = fitVocabulary(['a', 'a b', 'a c b'], { minDf: 1, maxFeatures: 2 });
    expect(small.terms).toEqual(['a', 'b']);
  });

  it('weights repeats sublinearly and normalises each row to unit length; unknown terms are ignored', () => {
    const v = new TfidfVectorizer(vocab);
    const row = v.transform('bad bad taste, never seen');
    expect(Array.from(row.indices)).toEqual([0, 3]);
    const [bad, taste] = row.values;
    expect(bad / taste).toBeCloseTo(1 + Math.log(2), 5);
    expect(bad * bad + taste * taste).toBeCloseTo(1, 5);
    expect(v.transform('nothing known').indices).toHaveLength(0);
  });
});
