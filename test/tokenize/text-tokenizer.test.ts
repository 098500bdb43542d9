// TextTokenizer behaviour: loading, truncation, batch order, sanitising and rejection of bad input.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelLoadError, ValidationError } from '../../src/errors';
import {
  buildUseLiteTokenizerJson,
  DEFAULT_MAX_LENGTH,
  readUseLiteVocab,
  TextTokenizer,
  type HfTokenizerJson,
} from '../../src/tokenize';

let json: HfTokenizerJson;
let tokenizer: TextTokenizer;
let dir: string;

beforeAll(async () => {
  json = buildUseLiteTokenizerJson(await readUseLiteVocab());
  tokenizer = await TextTokenizer.create({ tokenizerJson: json });
  dir = await mkdtemp(join(tmpdir(), 'churnscope-tokenizer-'));
});

afterAll(async () => {
  tokenizer.dispose();
  await rm(dir, { recursive: true, force: true });
});

const ids = async (t: TextTokenizer, text: string) => [...(await t.encode(text)).ids];

describe('TextTokenizer', () => {
  it('exposes the USE-lite vocab size and the default maxLength', () => {
    expect(tokenizer.vocabSize).toBe(8000);
    expect(tokenizer.maxLength).toBe(DEFAULT_MAX_LENGTH);
    expect(DEFAULT_MAX_LENGTH).toBe(256);
  });

  it('loads the same tokenizer from a tokenizer.json path', async () => {
    const file = join(dir, 'tokenizer.json');
    await writeFile(file, JSON.stringify(json));
    const fromFile = await TextTokenizer.create({ tokenizerJson: file, maxLength: 16 });
    expect(await ids(fromFile, 'Hello world!')).toEqual(await ids(tokenizer, 'Hello world!'));
    expect(await ids(tokenizer, 'Hello world!')).toEqual([341, 4125, 311, 78]);
  });

  it('returns Int32Array ids without padding or special tokens', async () => {
    const out = await tokenizer.encode('great coffee');
    expect(out.ids).toBeInstanceOf(Int32Array);
    expect(out).toMatchObject({ length: out.ids.length, truncated: false });
    expect(out.length).toBe(2);
  });

  it('truncates to maxLength and says so', async () => {
    const small = await TextTokenizer.create({ tokenizerJson: json, maxLength: 5 });
    const text = 'one two three four five six seven eight';
    const full = await ids(tokenizer, text);
    const cut = await small.encode(text);
    expect(full.length).toBeGreaterThan(5);
    expect({ length: cut.length, truncated: cut.truncated }).toEqual({ length: 5, truncated: true });
    expect([...cut.ids]).toEqual(full.slice(0, 5));
    expect((await small.encode('one two')).truncated).toBe(false);
  });

  it('truncates a 10,000-character text to the default 256', async () => {
    const out = await tokenizer.encode('word '.repeat(2000));
    expect(out.length).toBe(256);
    expect(out.truncated).toBe(true);
  });

  it('keeps batch results in input order', async () => {
    const texts = ['first text', '', 'the third one is longer than the others', '😀', 'fifth'];
    const batch = await tokenizer.encodeBatch(texts);
    const single = await Promise.all(texts.map((t) => ids(tokenizer, t)));
    expect(batch.map((b) => [...b.ids])).toEqual(single);
    const reversed = await tokenizer.encodeBatch([...texts].reverse());
    expect(reversed.map((b) => [...b.ids]).reverse()).toEqual(single);
  });

  it('returns [] for an empty batch and empty ids for empty text', async () => {
    expect(await tokenizer.encodeBatch([])).toEqual([]);
    expect((await tokenizer.encode('')).length).toBe(0);
  });

  it('sanitises before tokenizing: controls act as spaces, lone surrogates as U+FFFD', async () => {
    expect(await ids(tokenizer, 'broken\u0000export\u0085here')).toEqual(await ids(tokenizer, 'broken export here'));
    expect(await ids(tokenizer, 'bad \uD800 half')).toEqual(await ids(tokenizer, 'bad \uFFFD half'));
    expect(await ids(tokenizer, 'bad \uD800 half')).toContain(0);
  });

  it('rejects non-string texts with a ValidationError naming the index', async () => {
    const bad = ['ok', 42, null] as unknown as string[];
    await expect(tokenizer.encodeBatch(bad)).rejects.toThrow(ValidationError);
    await expect(tokenizer.encodeBatch(bad)).rejects.toThrow(/texts\[1\] must be a string, got number/);
    await expect(tokenizer.encodeBatch('text' as unknown as string[])).rejects.toThrow(/texts must be an array/);
    await expect(tokenizer.encode(undefined as unknown as string)).rejects.toThrow(/texts\[0\] must be a string/);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects maxLength %s', async (maxLength) => {
    await expect(TextTokenizer.create({ tokenizerJson: json, maxLength })).rejects.toThrow(ValidationError);
  });

  it('fails with ModelLoadError on a missing file or an invalid tokenizer.json', async () => {
    await expect(TextTokenizer.create({ tokenizerJson: join(dir, 'missing.json') })).rejects.toThrow(ModelLoadError);
    await expect(TextTokenizer.create({ tokenizerJson: { model: { type: 'Nope' } } })).rejects.toThrow(ModelLoadError);
    const garbled = join(dir, 'garbled.json');
    await writeFile(garbled, '{"model":');
    await expect(TextTokenizer.create({ tokenizerJson: garbled })).rejects.toThrow(/invalid tokenizer.json .*garbled/);
  });
});

describe('buildUseLiteTokenizerJson', () => {
  it('rejects a malformed vocab with a ValidationError', () => {
    expect(() => buildUseLiteTokenizerJson([])).toThrow(ValidationError);
    const vocab = Array.from({ length: 8 }, (_, i): [string, number] => [`p${i}`, -1]);
    vocab[7] = ['x', Number.NaN];
    expect(() => buildUseLiteTokenizerJson(vocab)).toThrow(/vocab\[7\]/);
  });

  it('keeps ids and scores, with null scores as 0 and reserved pieces unmatchable', () => {
    const { model } = json;
    expect(model).toMatchObject({ type: 'Unigram', unk_id: 0 });
    expect(model.vocab).toHaveLength(8000);
    expect(model.vocab[0]).toEqual(['\uFFFD', 0]);
    expect(model.vocab[1][0]).toContain(' ');
    expect(model.vocab[57]).toEqual([':', 0]);
  });

  it('isolates a leading ▁ only before ":", the one start where the reference avoids its zero-score pieces', () => {
    expect(json.pre_tokenizer).toEqual({
      type: 'Split',
      pattern: { Regex: '\\A\u2581(?=:)' },
      behavior: 'Isolated',
      invert: false,
    });
  });
});
