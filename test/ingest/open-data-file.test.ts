// The one reader's file failures: a corrupt or truncated .gz, a directory, a missing file — a DataFileError naming it, never a stream crash.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../../src/errors';
import { readRecords, readRows } from '../../src/ingest';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'open-data-file-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, body: string | Buffer) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, body);
  return p;
};
const drain = async (it: AsyncIterable<unknown>) => {
  const out: unknown[] = [];
  for await (const x of it) out.push(x);
  return out;
};

const notGzip = write('bad.csv.gz', 'review,score\nplain text, not gzip\n');
const gzipped = gzipSync('review,score\n' + Array.from({ length: 2000 }, (_, i) => `review ${i},great\n`).join(''));
// Cut mid-stream, as an interrupted download leaves it: the deflate data and its trailer are incomplete.
const truncated = write('cut.csv.gz', gzipped.subarray(0, Math.floor(gzipped.length / 2)));
const directory = path.join(dir, 'folder.csv');
fs.mkdirSync(directory);

describe.each([
  ['readRecords (strict)', (file: string) => readRecords(file)],
  ['readRows (tolerant)', (file: string) => readRows({ file })],
])('%s', (_, read) => {
  it.each([
    ['a file that is not gzip', notGzip, /bad\.csv\.gz: not a valid gzip file/],
    ['a truncated gzip', truncated, /cut\.csv\.gz: not a valid gzip file \(corrupt or truncated\)/],
    ['a directory', directory, /folder\.csv: is a directory, not a data file/],
    ['a missing file', path.join(dir, 'nope.csv'), /nope\.csv: file not found/],
  ])('refuses %s with a DataFileError naming it', async (_what, file, message) => {
    const run = drain(read(file));
    await expect(run).rejects.toBeInstanceOf(DataFileError);
    await expect(run).rejects.toThrow(message);
  });

  it('reads a good gzipped CSV', async () => {
    const good = write('good.csv.gz', gzipSync('review,score\nlovely,great\nstale,other\n'));
    expect(await drain(read(good))).toHaveLength(2);
  });
});

describe('churnscope train --data on a broken file', () => {
  it.each([
    ['a corrupt .gz', notGzip],
    ['a directory', directory],
  ])('%s: exit 2 and one line naming the file', async (_what, file) => {
    const r = await promisify(execFile)(
      process.execPath,
      [
        path.resolve('bin/churnscope.js'),
        'train',
        '--data',
        file,
        '--text-col',
        'review',
        '--label-col',
        'score',
        '--positive',
        'other',
        '--out',
        path.join(dir, 'out'),
      ],
      { env: { ...process.env, LOG_LEVEL: 'silent' }, timeout: 60_000 },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(file);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });
});
