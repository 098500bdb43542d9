// Turns customer texts into model input ids with a tokenizer.json run by the native `tokenizers` library.
import { readFile } from 'node:fs/promises';
import { Tokenizer } from 'tokenizers';
import { ModelLoadError, ValidationError } from '../errors';
import type { Logger } from '../logging';
import { sanitizeText } from '../text/sanitize';

export const DEFAULT_MAX_LENGTH = 256;

export interface TextTokenizerOptions {
  /** A tokenizer.json object (e.g. from buildUseLiteTokenizerJson) or the path of a tokenizer.json file. */
  tokenizerJson: object | string;
  /** Longest id sequence returned; longer texts keep their first `maxLength` ids. */
  maxLength?: number;
  logger?: Logger;
}

export interface TokenizedText {
  /** Token ids, at most `maxLength` of them, no padding and no special tokens the tokenizer.json does not define. */
  ids: Int32Array;
  length: number;
  /** Whether ids were dropped to fit `maxLength`. */
  truncated: boolean;
  /** With encodeBatch(…, { offsets: true }): UTF-16 [start, end) of token t at [2t, 2t+1], into the text as given. */
  offsets?: Uint32Array;
}

export interface EncodeOptions {
  /** Also return each token's character range (phrase drivers map clauses to tokens with it). */
  offsets?: boolean;
}

export class TextTokenizer {
  private constructor(
    private readonly tokenizer: Tokenizer,
    readonly maxLength: number,
    private readonly logger?: Logger,
  ) {}

  static async create(opts: TextTokenizerOptions): Promise<TextTokenizer> {
    const maxLength = opts.maxLength ?? DEFAULT_MAX_LENGTH;
    if (!Number.isSafeInteger(maxLength) || maxLength < 1) {
      throw new ValidationError(`maxLength must be a positive integer, got ${maxLength}`, { field: 'maxLength' });
    }
    const source = opts.tokenizerJson;
    if (source === null || (typeof source !== 'string' && typeof source !== 'object')) {
      throw new ValidationError('tokenizerJson must be a tokenizer.json object or a file path', {
        field: 'tokenizerJson',
      });
    }
    const file = typeof source === 'string' ? source : undefined;
    const json = file === undefined ? JSON.stringify(source) : await readTokenizerFile(file);
    let tokenizer: Tokenizer;
    try {
      tokenizer = Tokenizer.fromString(json);
    } catch (e) {
      throw new ModelLoadError(`invalid tokenizer.json${file ? ` ${file}` : ''}: ${(e as Error).message}`, {
        file,
        cause: e,
      });
    }
    // Truncation and padding are ours to decide, whatever the file says.
    tokenizer.disableTruncation();
    tokenizer.disablePadding();
    const created = new TextTokenizer(tokenizer, maxLength, opts.logger);
    opts.logger?.debug({ file, vocabSize: created.vocabSize, maxLength }, 'tokenizer loaded');
    return created;
  }

  get vocabSize(): number {
    return this.tokenizer.getVocabSize(true);
  }

  async encode(text: string): Promise<TokenizedText> {
    return (await this.encodeBatch([text]))[0];
  }

  /** Results are in input order. Texts are sanitised first (see sanitizeText). */
  async encodeBatch(texts: readonly string[], opts: EncodeOptions = {}): Promise<TokenizedText[]> {
    if (!Array.isArray(texts)) throw new ValidationError('texts must be an array of strings', { field: 'texts' });
    const clean = texts.map((text, i) => {
      if (typeof text !== 'string') {
        const got = text === null ? 'null' : Array.isArray(text) ? 'array' : typeof text;
        throw new ValidationError(`texts[${i}] must be a string, got ${got}`, { field: `texts[${i}]` });
      }
      return sanitizeText(text);
    });
    if (clean.length === 0) return [];
    const encodings = await this.tokenizer.encodeBatch(clean);
    let truncated = 0;
    const results = encodings.map((encoding, i): TokenizedText => {
      const ids = encoding.getIds();
      const cut = ids.length > this.maxLength;
      if (cut) truncated++;
      const kept = Int32Array.from(cut ? ids.slice(0, this.maxLength) : ids);
      const out: TokenizedText = { ids: kept, length: kept.length, truncated: cut };
      if (opts.offsets) out.offsets = utf16Offsets(clean[i], encoding.getOffsets(), kept.length);
      return out;
    });
    if (truncated > 0)
      this.logger?.debug({ truncated, batch: texts.length, maxLength: this.maxLength }, 'texts truncated');
    return results;
  }

  /** Nothing to release: the native tokenizer is freed with this object. Kept so owners can treat all resources alike. */
  dispose(): void {}
}

/**
 * The native tokenizer counts offsets in code points; JavaScript strings index UTF-16 units, which differ after any
 * character outside the BMP (emoji). Sanitising keeps lengths, so these offsets index the caller's text too.
 */
function utf16Offsets(text: string, offsets: readonly (readonly number[])[], count: number): Uint32Array {
  const out = new Uint32Array(2 * count);
  // Code point index → UTF-16 index, built only when the text has surrogate pairs at all.
  let map: Uint32Array | undefined;
  if (/[\uD800-\uDBFF]/.test(text)) {
    const points = [...text];
    map = new Uint32Array(points.length + 1);
    for (let p = 0; p < points.length; p++) map[p + 1] = map[p] + points[p].length;
  }
  for (let t = 0; t < count; t++) {
    const [start, end] = offsets[t] ?? [0, 0];
    out[2 * t] = map ? map[Math.min(start, map.length - 1)] : start;
    out[2 * t + 1] = map ? map[Math.min(end, map.length - 1)] : end;
  }
  return out;
}

async function readTokenizerFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new ModelLoadError(`cannot read tokenizer.json ${file}: ${(e as Error).message}`, { file, cause: e });
  }
}
