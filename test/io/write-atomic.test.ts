// The one crash-safe write: fsynced before the rename, old content kept on failure, no temp files left behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomicSync, writeJsonAtomicSync } from '../../src/io';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'write-atomic-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('writeFileAtomicSync', () => {
  it('creates the folder, writes, replaces, and leaves only the target', () => {
    const file = path.join(dir, 'a', 'b', 'progress.json');
    writeJsonAtomicSync(file, { line: 1 });
    writeJsonAtomicSync(file, { line: 2 });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ line: 2 });
    expect(fs.readdirSync(path.dirname(file))).toEqual(['progress.json']);
  });

  it('fsyncs the data before it becomes visible', () => {
    const fsync = vi.spyOn(fs, 'fsyncSync');
    writeFileAtomicSync(path.join(dir, 'synced.bin'), new Uint8Array([1, 2, 3]));
    expect(fsync).toHaveBeenCalled();
    expect([...fs.readFileSync(path.join(dir, 'synced.bin'))]).toEqual([1, 2, 3]);
  });

  it('keeps the old content when the write fails, and removes its temp file', () => {
    const file = path.join(dir, 'kept.json');
    writeJsonAtomicSync(file, { v: 'old' });
    vi.spyOn(fs, 'fsyncSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    });
    expect(() => writeJsonAtomicSync(file, { v: 'new' })).toThrow(/ENOSPC/);
    vi.restoreAllMocks();
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ v: 'old' });
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('kept.json'))).toEqual(['kept.json']);
  });

  it('writes a view of a larger buffer without the bytes around it', () => {
    const big = new Uint8Array([9, 9, 1, 2, 9]);
    writeFileAtomicSync(path.join(dir, 'view.bin'), big.subarray(2, 4));
    expect([...fs.readFileSync(path.join(dir, 'view.bin'))]).toEqual([1, 2]);
  });
});
