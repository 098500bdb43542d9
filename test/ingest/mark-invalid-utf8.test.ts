import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { INVALID_UTF8_MARKER, MarkInvalidUtf8 } from '../../src/ingest/mark-invalid-utf8';

/** Runs bytes through the transform split into chunks at every `step` bytes, to cross sequence boundaries. */
async function mark(bytes: Buffer, step: number): Promise<string> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += step) chunks.push(bytes.subarray(i, i + step));
  const out: Buffer[] = [];
  for await (const c of Readable.from(chunks).pipe(new MarkInvalidUtf8())) out.push(c as Buffer);
  return Buffer.concat(out).toString('utf8');
}

const M = INVALID_UTF8_MARKER;

describe('MarkInvalidUtf8', () => {
  const valid = 'plain, é, 中文, emoji 😀, and a real \uFFFD from the data';

  it.each([1, 2, 3, 5, 64])('passes valid UTF-8 through unchanged in chunks of %i bytes', async (step) => {
    expect(await mark(Buffer.from(valid, 'utf8'), step)).toBe(valid);
  });

  it.each([
    ['a lone continuation byte', Buffer.from([0x61, 0x80, 0x62]), `a${M}b`],
    ['a truncated sequence before ASCII', Buffer.from([0x61, 0xe2, 0x82, 0x62]), `a${M}${M}b`],
    ['an overlong encoding', Buffer.from([0xc0, 0xaf]), `${M}${M}`],
    ['a UTF-16 surrogate', Buffer.from([0xed, 0xa0, 0x80]), `${M}${M}${M}`],
    ['a sequence cut at the end of input', Buffer.from([0x61, 0xf0, 0x9f]), `a${M}${M}`],
    ['a latin-1 byte', Buffer.from('caf\xe9 ok', 'latin1'), `caf${M} ok`],
  ])('marks %s byte by byte', async (_name, bytes, expected) => {
    for (const step of [1, 2, 64]) expect(await mark(bytes, step)).toBe(expected);
  });
});
