// Byte-level UTF-8 check for streamed input: each invalid byte becomes a marker character, so the row holding it can be reported.
import { Transform, type TransformCallback } from 'node:stream';

/**
 * U+FFFD cannot mark invalid input: real data contains it (the fixture reviews do, 14 times). A private-use
 * character is used instead; the rare row that genuinely contains U+F8FF would be reported as invalid, which is
 * the safe side of the mistake.
 */
export const INVALID_UTF8_MARKER = '\uF8FF';
const MARKER_BYTES = Buffer.from(INVALID_UTF8_MARKER, 'utf8');

/** How many continuation bytes a lead byte announces, or -1 for a byte that cannot start a character. */
function sequenceLength(b: number): number {
  if (b < 0x80) return 0;
  if (b >= 0xc2 && b <= 0xdf) return 1;
  if (b >= 0xe0 && b <= 0xef) return 2;
  if (b >= 0xf0 && b <= 0xf4) return 3;
  return -1;
}

/** Whether bytes[i..i+n] is a valid sequence (no overlongs, no surrogates, nothing above U+10FFFF). */
function validAt(bytes: Buffer, i: number, n: number): boolean {
  for (let k = 1; k <= n; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return false;
  const b0 = bytes[i];
  const b1 = bytes[i + 1];
  if (n === 2 && ((b0 === 0xe0 && b1 < 0xa0) || (b0 === 0xed && b1 > 0x9f))) return false;
  if (n === 3 && ((b0 === 0xf0 && b1 < 0x90) || (b0 === 0xf4 && b1 > 0x8f))) return false;
  return true;
}

export class MarkInvalidUtf8 extends Transform {
  private carry = Buffer.alloc(0);

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    done(null, this.scan(this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk, false));
  }

  override _flush(done: TransformCallback): void {
    done(null, this.scan(this.carry, true));
  }

  /** Copies valid sequences, replaces each invalid byte; unless final, keeps a sequence cut by the chunk end for later. */
  private scan(bytes: Buffer, final: boolean): Buffer {
    const out: Buffer[] = [];
    let start = 0;
    let i = 0;
    while (i < bytes.length) {
      const n = sequenceLength(bytes[i]);
      if (!final && n > 0 && i + n >= bytes.length) break;
      if (n === 0 || (n > 0 && i + n < bytes.length && validAt(bytes, i, n))) {
        i += n + 1;
        continue;
      }
      out.push(bytes.subarray(start, i), MARKER_BYTES);
      i += 1;
      start = i;
    }
    out.push(bytes.subarray(start, i));
    this.carry = Buffer.from(bytes.subarray(i));
    return Buffer.concat(out);
  }
}
