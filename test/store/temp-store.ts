// Test helper: a store on a fresh file in a temporary folder, removed again after the test.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../src/logging';
import { SqliteStore, type SqliteStoreOptions } from '../../src/store';

export interface TempStore {
  store: SqliteStore;
  dir: string;
  file: string;
  cleanup: () => Promise<void>;
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'churnscope-store-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function tempStore(opts: Partial<SqliteStoreOptions> = {}): Promise<TempStore> {
  const { dir, cleanup } = await tempDir();
  const file = path.join(dir, 'nested', 'churnscope.db');
  const store = await SqliteStore.create({ path: file, logger: silentLogger(), ...opts });
  return {
    store,
    dir,
    file,
    cleanup: async () => {
      await store.dispose();
      await cleanup();
    },
  };
}

export async function memoryStore(): Promise<SqliteStore> {
  return SqliteStore.create({ path: ':memory:', logger: silentLogger() });
}

/** Whether the bytes of the database file or its WAL contain the marker (deleted-but-not-overwritten data counts). */
export async function fileContains(file: string, marker: string): Promise<boolean> {
  const needle = Buffer.from(marker, 'utf8');
  for (const f of [file, `${file}-wal`]) {
    if (existsSync(f) && (await readFile(f)).includes(needle)) return true;
  }
  return false;
}
