// What counts as a rare token, on the two vocabulary kinds churnscope ships (Unigram USE-lite, WordPiece BERT).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rareShareOf, rareTokenRule, readRareTokenRule } from '../../src/tokenize';

describe('rareTokenRule', () => {
  it('Unigram: ranks pieces by log-probability, not by id, and counts the unknown piece as rare', () => {
    const rule = rareTokenRule({
      model: {
        type: 'Unigram',
        unk_id: 0,
        vocab: [
          ['<unk>', 0],
          ['a', -9],
          ['b', -1],
          ['c', -5],
        ],
      },
    });
    // By score: <unk>(0), b(-1), c(-5), a(-9); cut-off rank 2 → c and a rare, and <unk> whatever its rank.
    expect([0, 1, 2, 3].map(rule.isRare)).toEqual([true, true, false, true]);
    expect(rule.rankCutoff).toBe(2);
    expect(rule.definition).toContain('unigram log-probability');
  });

  it('WordPiece: ranks by id, [UNK] is rare, ids outside the vocabulary are rare', () => {
    const rule = rareTokenRule({
      model: { type: 'WordPiece', unk_token: '[UNK]', vocab: { '[PAD]': 0, '[UNK]': 1, x: 2, y: 3 } },
    });
    expect([0, 1, 2, 3, 99].map(rule.isRare)).toEqual([false, true, true, true, true]);
  });

  it('reads the shipped tokenizers and names a file it cannot read', () => {
    const bert = readRareTokenRule('fixtures/tokenizers/bert-base-uncased/tokenizer.json');
    expect(bert.vocabSize).toBe(30522);
    expect(bert.isRare(bert.unkId!)).toBe(true);
    const use = readRareTokenRule('models/default/tokenizer.json');
    expect(use.vocabSize).toBe(8000);
    expect(() => readRareTokenRule('no/such/tokenizer.json')).toThrow(/no\/such/);
    expect(fs.existsSync('models/default/tokenizer.json')).toBe(true);
  });
});

describe('rareShareOf', () => {
  it('is the share of ids the rule calls rare, 0 for an empty window', () => {
    expect(rareShareOf([1, 2, 3, 4], (id) => id > 2)).toBe(0.5);
    expect(rareShareOf([], () => true)).toBe(0);
  });
});
