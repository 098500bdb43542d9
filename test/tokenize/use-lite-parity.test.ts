// Parity of the converted USE-lite tokenizer.json with the tfjs-models USE tokenizer: all fixture reviews and edge cases.
import { beforeAll, describe, expect, it } from 'vitest';
import { sanitizeText } from '../../src/text/sanitize';
import { buildUseLiteTokenizerJson, readUseLiteVocab, TextTokenizer, type RawVocab } from '../../src/tokenize';
import { loadReviews } from '../helpers/reviews';
import { compareAll, describeMismatch, ReferenceTokenizer, type Mismatch } from './reference-parity';

// Far above any text here (the 10,000-character case is ~2,500 ids): parity compares whole sequences.
const UNTRUNCATED = 1_000_000;

const LONG_TEXT = Array.from(
  { length: 400 },
  (_, i) => `Order ${i}: the coffee was stale, and support never answered. `,
)
  .join('')
  .slice(0, 10_000);

const EDGE_CASES: Record<string, string> = {
  empty: '',
  'spaces only': '   ',
  emoji: 'Love it 😀👍🏽 🎉🎉 would buy again ❤️ 👨‍👩‍👧',
  cjk: '这个产品很好 日本語のテキスト 한국어 리뷰 mixed 中文 words',
  long: LONG_TEXT,
  controls: 'a\u0000b \u0007bell\u001Funit\u007Fdel \u0085nel\u009Fend\u000Cff\u000Bvt',
  'lone surrogates': 'bad \uD800 high, \uDC00 low, cut emoji \uD83D at end \uDBFF',
  'mixed whitespace': '  two  spaces\tTab\nnewline\r\nCRLF \u00A0nbsp\u2003em\u3000ideo\u2028ls  trailing  ',
  accents: 'Café naïve résumé crème brûlée Ångström São Paulo Cafe\u0301 decomposed',
  'numbers and punctuation': '$1,234.56 at 10:30 (50% off!!!) ... 1:00pm — "quoted" [x] {y} #tag @user 3.14e-2 ½ ² №5',
  'leading colon': ':) great product :-( :30 min, 1:30',
  'colon only': '::',
  'url start': '://example.com http://example.com/a?b=c',
  'reserved names': '<s> </s> extra_token_id_1 extra_token_id_3 �',
  'compatibility forms': 'ｆｕｌｌｗｉｄｔｈ ﬁne ﬂavor ① ℡ ㎏ Ⅻ',
  'literal separator and U+FFFD': '\u2581x \u2581\u2581 a\uFFFDb \uFFFD',
};

let vocab: RawVocab;
let ours: TextTokenizer;
let reference: ReferenceTokenizer;

beforeAll(async () => {
  vocab = await readUseLiteVocab();
  ours = await TextTokenizer.create({ tokenizerJson: buildUseLiteTokenizerJson(vocab), maxLength: UNTRUNCATED });
  // The reference reads null scores itself (null + number), so it gets the raw file.
  reference = new ReferenceTokenizer(vocab as Array<[string, number]>);
});

async function compare(texts: string[]): Promise<Mismatch[]> {
  const encoded = await ours.encodeBatch(texts);
  // On sanitised text: TextTokenizer always sanitises, and for control characters the reference would give the
  // unknown id where we give a space (see sanitizeText); for lone surrogates sanitising changes no reference id.
  const referenceIds = texts.map((t) => reference.encode(sanitizeText(t)));
  return compareAll(
    texts,
    encoded.map((e) => [...e.ids]),
    referenceIds,
    vocab,
  );
}

function report(mismatches: Mismatch[], total: number, kind: Mismatch['kind']): string {
  const of = mismatches.filter((m) => m.kind === kind);
  return of.length === 0 ? '' : `${of.length}/${total} texts: ${kind}; first:\n${describeMismatch(of[0], vocab)}`;
}

describe('USE-lite tokenizer.json vs the reference USE tokenizer', () => {
  it('gives the reference ids on all 4,000 fixture reviews, up to exact-score ties', async () => {
    const texts = (await loadReviews()).map((r) => r.review);
    expect(texts).toHaveLength(4000);
    const mismatches = await compare(texts);
    const ties = mismatches.filter((m) => m.kind === 'tie');
    console.info(
      `USE parity: ${texts.length - mismatches.length}/${texts.length} identical, ${ties.length} exact-score ties ` +
        `broken the other way, ${mismatches.length - ties.length} different\n${report(mismatches, texts.length, 'tie')}`,
    );
    expect(mismatches.length - ties.length, report(mismatches, texts.length, 'different')).toBe(0);
  });

  it.each(Object.entries(EDGE_CASES))('gives the reference ids exactly on %s', async (_name, text) => {
    const mismatches = await compare([text]);
    expect(mismatches, mismatches.length ? describeMismatch(mismatches[0], vocab) : '').toHaveLength(0);
  });

  it('orders equal-score pieces of a repeated run differently from the reference (the documented tie case)', async () => {
    const [mismatch] = await compare(['NO!!!!! sooooo bad']);
    // Reference "▁so" "ooo" "o", ours "▁so" "o" "ooo": same pieces, same float score, other tie-break.
    expect(mismatch?.kind).toBe('tie');
    expect([...mismatch.ours].sort()).toEqual([...mismatch.reference].sort());
  });

  it('gives [] for empty text, as the reference does', async () => {
    expect(reference.encode('')).toEqual([]);
    expect((await ours.encode('')).length).toBe(0);
  });

  it('needs no sanitising for lone surrogates: the reference already gives them the unknown id', () => {
    const raw = EDGE_CASES['lone surrogates'];
    expect(sanitizeText(raw)).not.toBe(raw);
    expect(reference.encode(raw)).toEqual(reference.encode(sanitizeText(raw)));
  });

  it('changes reference ids for control characters, which is why parity is on sanitised text', () => {
    const raw = 'broken\u0000export';
    expect(reference.encode(raw)).toContain(0);
    expect(reference.encode(sanitizeText(raw))).toEqual(reference.encode('broken export'));
  });
});

describe('truncation', () => {
  it('keeps the reference prefix of a 10,000-character text at the default 256', async () => {
    const tokenizer = await TextTokenizer.create({ tokenizerJson: buildUseLiteTokenizerJson(vocab) });
    const full = reference.encode(LONG_TEXT);
    expect(full.length).toBeGreaterThan(256);
    const { ids, length, truncated } = await tokenizer.encode(LONG_TEXT);
    expect({ length, truncated }).toEqual({ length: 256, truncated: true });
    expect([...ids]).toEqual(full.slice(0, 256));
  });

  it('truncates every review to a configured maxLength as a prefix of its full ids', async () => {
    const texts = (await loadReviews()).map((r) => r.review);
    const short = await TextTokenizer.create({ tokenizerJson: buildUseLiteTokenizerJson(vocab), maxLength: 64 });
    const [cut, full] = await Promise.all([short.encodeBatch(texts), ours.encodeBatch(texts)]);
    cut.forEach((c, i) => {
      expect(c.length).toBe(Math.min(64, full[i].length));
      expect(c.truncated).toBe(full[i].length > 64);
      expect([...c.ids]).toEqual([...full[i].ids.subarray(0, 64)]);
    });
  });
});
