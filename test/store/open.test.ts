// Opening the store: WAL and foreign keys, refusing garbage and damaged files, and behaviour after dispose.
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

async function folder(): Promise<string> {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  return dir;
}

describe('opening the store', () => {
  it('uses WAL with foreign keys on', async () => {
    const file = path.join(await folder(), 'x.db');
    const store = await SqliteStore.create({ path: file, logger: silentLogger() });
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    // A dangling reference is refused, which only happens with foreign_keys = ON.
    await expect(
      store.scores.insert({
        textId: 'nope',
        modelVersion: 'm',
        risk: 0.5,
        textRisk: 0.5,
        tabularRisk: null,
        band: 'medium',
        drivers: [],
      }),
    ).rejects.toThrow(/text nope does not exist/);
    await store.dispose();
    await store.dispose();
  });

  it('refuses a file of garbage with a ConfigError naming the file', async () => {
    const file = path.join(await folder(), 'garbage.db');
    await writeFile(file, Buffer.alloc(8192, 'this is not a database at all '));
    const opening = SqliteStore.create({ path: file, logger: silentLogger() });
    await expect(opening).rejects.toBeInstanceOf(ConfigError);
    await expect(opening).rejects.toThrow(/garbage\.db is corrupt or not a SQLite database/);
  });

  it('refuses a database whose pages were damaged', async () => {
    const file = path.join(await folder(), 'damaged.db');
    const store = await SqliteStore.create({ path: file, logger: silentLogger() });
    await store.customers.importMany(
      Array.from({ length: 400 }, (_, i) => ({ id: `c${i}`, features: { n: i, pad: 'x'.repeat(200) } })),
    );
    await store.dispose();
    const bytes = await readFile(file);
    const pageSize = bytes.readUInt16BE(16);
    // Keep the header page intact so the file still looks like a database, and trash the b-tree pages after it.
    for (let i = pageSize; i < bytes.length; i += 97) bytes[i] = (bytes[i] + 0x5a) & 0xff;
    await writeFile(file, bytes);
    await expect(SqliteStore.create({ path: file, logger: silentLogger() })).rejects.toThrow(/damaged\.db is corrupt/);
  });

  it('refuses an empty path', async () => {
    await expect(SqliteStore.create({ path: '', logger: silentLogger() })).rejects.toBeInstanceOf(ConfigError);
  });

  it('works in memory', async () => {
    const store = await SqliteStore.create({ path: ':memory:', logger: silentLogger() });
    await store.customers.upsert({ id: 'c', features: {} });
    expect(await store.customers.list({ limit: 10 })).toHaveLength(1);
    await store.dispose();
  });

  it('refuses calls after dispose', async () => {
    const store = await SqliteStore.create({ path: ':memory:', logger: silentLogger() });
    await store.dispose();
    await expect(store.customers.get('c')).rejects.toThrow(/store is closed/);
  });
});
