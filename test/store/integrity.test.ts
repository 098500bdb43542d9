// The integrity check at start-up: a database that opens but fails PRAGMA quick_check is refused with a ConfigError naming the file.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors';
import { silentLogger } from '../../src/logging';
import { SqliteStore } from '../../src/store';
import { tempDir } from './temp-store';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A store file with enough customers to spread the table over several b-tree leaf pages; returns one of those pages. */
async function populatedFile(): Promise<{ file: string; leafPage: number }> {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const file = path.join(dir, 'shop.db');
  const store = await SqliteStore.create({ path: file, logger: silentLogger() });
  await store.customers.importMany(
    Array.from({ length: 300 }, (_, i) => ({ id: `c${i}`, features: { n: i, pad: 'x'.repeat(200) } })),
  );
  await store.dispose();
  const db = new Database(file);
  // Fold the WAL into the main file, so the bytes edited below are the ones SQLite reads.
  db.pragma('wal_checkpoint(TRUNCATE)');
  const leaves = db
    .prepare("SELECT pageno FROM dbstat WHERE name = 'customers' AND pagetype = 'leaf' ORDER BY pageno")
    .all() as Array<{ pageno: number }>;
  db.close();
  expect(leaves.length).toBeGreaterThan(2);
  return { file, leafPage: leaves[1].pageno };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('start-up integrity check', () => {
  it('accepts an intact file', async () => {
    const { file } = await populatedFile();
    const store = await SqliteStore.create({ path: file, logger: silentLogger() });
    expect(await store.customers.get('c299')).not.toBeNull();
    await store.dispose();
  });

  it('refuses a file whose schema opens but one table page is damaged, naming the file and what quick_check found', async () => {
    const { file, leafPage } = await populatedFile();
    const bytes = await readFile(file);
    const pageSize = bytes.readUInt16BE(16);
    const page = (leafPage - 1) * pageSize;
    // A table leaf page's cell pointer array starts 8 bytes in: aim its first cell past the end of the page.
    bytes.writeUInt16BE(pageSize - 2, page + 8);
    await writeFile(file, bytes);
    // The damage is invisible to a plain open: only the check finds it.
    const raw = new Database(file);
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'customers'").get()).toEqual({ n: 1 });
    raw.close();
    const err = await SqliteStore.create({ path: file, logger: silentLogger() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe('dbPath');
    // quick_check either lists the damage (the usual case: tree, page, cell) or stops at it with SQLITE_CORRUPT.
    expect((err as Error).message).toMatch(
      new RegExp(
        `^database ${escape(file)} is corrupt (\\(Tree \\d+ page ${leafPage} cell 0: Offset \\d+ out of range|or not a SQLite database)`,
      ),
    );
    expect((err as Error).message).toMatch(/restore it from a backup/);
  });
});
