// `churnscope retention`: deletes old texts from the configured database once and prints what it did as JSON.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { retentionCommand } from '../../src/commands/retention';
import { silentLogger } from '../../src/logging';
import { SqliteStore } from '../../src/store';
import { tempDir } from '../store/temp-store';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function dbWithTexts(): Promise<string> {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const file = path.join(dir, 'cs.db');
  const store = await SqliteStore.create({ path: file, logger: silentLogger() });
  await store.texts.insert({ id: 'old', source: 'chat', text: 'old', hash: 'o', createdAt: '2025-01-01T00:00:00Z' });
  await store.texts.insert({ id: 'new', source: 'chat', text: 'new', hash: 'n', createdAt: '2025-01-25T00:00:00Z' });
  await store.dispose();
  return file;
}

async function ids(file: string): Promise<string[]> {
  const store = await SqliteStore.create({ path: file, logger: silentLogger() });
  try {
    return (await Promise.all(['old', 'new'].map((id) => store.texts.get(id))))
      .filter((t) => t !== null)
      .map((t) => t.id);
  } finally {
    await store.dispose();
  }
}

describe('retention command', () => {
  it('deletes texts older than --days as of the clock, and prints the result', async () => {
    const file = await dbWithTexts();
    const out = new PassThrough();
    let printed = '';
    out.on('data', (c: Buffer) => (printed += c.toString()));
    const result = await retentionCommand(
      { days: 14, db: file },
      { env: {}, out, logger: silentLogger(), clock: () => new Date('2025-01-31T00:00:00Z') },
    );
    expect(result).toMatchObject({ cutoff: '2025-01-17T00:00:00.000Z', deleted: 1 });
    expect(JSON.parse(printed)).toEqual({
      db: file,
      retentionDays: 14,
      cutoff: '2025-01-17T00:00:00.000Z',
      deleted: 1,
    });
    expect(await ids(file)).toEqual(['new']);
  });

  it('takes the period from CHURNSCOPE_RETENTION_DAYS, and refuses to run without one', async () => {
    const file = await dbWithTexts();
    const io = { out: new PassThrough(), logger: silentLogger(), clock: () => new Date('2025-01-31T00:00:00Z') };
    await expect(retentionCommand({ db: file }, { ...io, env: {} })).rejects.toThrow(/--days N/);
    expect(await ids(file)).toEqual(['old', 'new']);
    await retentionCommand({ db: file }, { ...io, env: { CHURNSCOPE_RETENTION_DAYS: '3' } });
    expect(await ids(file)).toEqual([]);
  });

  it('is wired into the CLI, exiting 2 with a message on a bad value', async () => {
    const file = await dbWithTexts();
    const run = promisify(execFile);
    const cli = path.resolve('bin/churnscope.js');
    const ok = await run(process.execPath, [cli, 'retention', '--days', '100000', '--db', file], {
      env: { ...process.env, LOG_LEVEL: 'error' },
    });
    expect(JSON.parse(ok.stdout)).toMatchObject({ retentionDays: 100000, deleted: 0 });
    const bad = await run(process.execPath, [cli, 'retention', '--days', '0', '--db', file], {
      env: { ...process.env, LOG_LEVEL: 'error' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 2 });
    expect((bad as { stderr: string }).stderr).toMatch(/privacy\.retentionDays/);
    expect(await ids(file)).toEqual(['old', 'new']);
  }, 60_000);
});
