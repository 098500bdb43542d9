// bert-base-uncased through TextTokenizer (Rust `tokenizers`) against transformers.js's own WordPiece and hand-checked vocab.txt ids.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { TextTokenizer } from '../../src/tokenize';
import { inspectHfTokenizer } from '../../training/encoders/hf-checkpoint';

const DIR = path.resolve('fixtures/tokenizers/bert-base-uncased');
const FILE = path.join(DIR, 'tokenizer.json');
const vocab = fs.readFileSync(path.join(DIR, 'vocab.txt'), 'utf8').split('\n');
const id = (piece: string) => {
  const i = vocab.indexOf(piece);
  if (i < 0) throw new Error(`${piece} not in vocab.txt`);
  return i;
};

const EDGE_CASES = [
  'Hello, World!',
  'Crème brûlée at the café was naïve — ÉLAN!', // accents stripped by the uncased normaliser
  "don't won't it's (really) [sic] {braces} a/b a-b e.g. U.S.A...", // punctuation split off
  'unaffable xylophonist supercalifragilisticexpialidocious', // sub-words
  `${'a'.repeat(101)} ok ${'b'.repeat(100)}`, // > 100 characters: one [UNK]; exactly 100: word pieces
  'emoji 😀🤬 and symbols ™ © ∑ ≠', // unknown characters
  '中文字符 and 日本語', // CJK characters split one by one
  'tab\tnew\nline  spaces\u00a0nbsp\u200bzero-width',
  'Order #12345 cost $19.99 on 2024-01-31 at 10:30pm',
  'I AM CANCELLING MY SUBSCRIPTION!!! Support NEVER answers???',
  '',
];

let tokenizer: TextTokenizer;
let bundleTokenizer: TextTokenizer;
let reference: PreTrainedTokenizer;

beforeAll(async () => {
  tokenizer = await TextTokenizer.create({ tokenizerJson: FILE, maxLength: 4096 });
  const raw = JSON.parse(fs.readFileSync(FILE, 'utf8'));
  bundleTokenizer = await TextTokenizer.create({
    tokenizerJson: inspectHfTokenizer(raw, FILE).bundleJson,
    maxLength: 4096,
  });
  const { AutoTokenizer, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  reference = await AutoTokenizer.from_pretrained(DIR, { local_files_only: true });
});

describe('bert-base-uncased WordPiece', () => {
  it('gives the ids of transformers.js (an independent WordPiece implementation) on every edge case', async () => {
    const ours = await tokenizer.encodeBatch(EDGE_CASES);
    EDGE_CASES.forEach((text, i) => {
      const theirs = (reference(text, { add_special_tokens: true }).input_ids.tolist() as bigint[][])[0].map(Number);
      expect([...ours[i].ids], JSON.stringify(text)).toEqual(theirs);
    });
  });

  it('matches ids checked by hand against vocab.txt', async () => {
    const ids = async (text: string) => [...(await tokenizer.encode(text)).ids];
    const [cls, sep, unk] = [id('[CLS]'), id('[SEP]'), id('[UNK]')];
    expect([cls, sep, unk]).toEqual([101, 102, 100]);
    // Accents stripped and lower-cased, then longest-match-first pieces.
    expect(await ids('Crème brûlée!')).toEqual([
      cls,
      id('cr'),
      id('##eme'),
      id('br'),
      id('##ule'),
      id('##e'),
      id('!'),
      sep,
    ]);
    expect(await ids(`${'a'.repeat(101)} ok`)).toEqual([cls, unk, id('ok'), sep]);
    expect(await ids('😀 hello')).toEqual([cls, unk, id('hello'), sep]);
    expect(await ids("don't")).toEqual([cls, id('don'), id("'"), id('t'), sep]);
  });

  it('splits plain words exactly as greedy longest-match-first over vocab.txt does', async () => {
    const pieces = new Set(vocab);
    // WordPiece by its definition: at each position take the longest vocabulary entry ("##" after the first); none → [UNK].
    const greedy = (word: string): number[] => {
      const out: number[] = [];
      for (let start = 0; start < word.length;) {
        let end = word.length;
        while (end > start && !pieces.has((start > 0 ? '##' : '') + word.slice(start, end))) end--;
        if (end === start) return [id('[UNK]')];
        out.push(id((start > 0 ? '##' : '') + word.slice(start, end)));
        start = end;
      }
      return out;
    };
    for (const word of [
      'unaffable',
      'xylophonist',
      'supercalifragilisticexpialidocious',
      'churnscope',
      'unsubscribed',
      'refundable',
    ]) {
      expect([...(await tokenizer.encode(word)).ids], word).toEqual([101, ...greedy(word), 102]);
    }
  });

  it('ships a bundle tokenizer that leaves [CLS]/[SEP] to the encoder, otherwise identical', async () => {
    const full = await tokenizer.encodeBatch(EDGE_CASES);
    const bare = await bundleTokenizer.encodeBatch(EDGE_CASES);
    EDGE_CASES.forEach((_, i) => expect([...bare[i].ids]).toEqual([...full[i].ids].slice(1, -1)));
    const info = inspectHfTokenizer(JSON.parse(fs.readFileSync(FILE, 'utf8')), FILE);
    expect({ cls: info.clsId, sep: info.sepId, maxId: info.maxId }).toEqual({ cls: 101, sep: 102, maxId: 30521 });
  });
});
