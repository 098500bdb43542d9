// The one way commands open the store: `--db` / CHURNSCOPE_DB picks PostgreSQL (a URL) or SQLite (a file path).
import type { Logger } from '../logging';
import { parseDbLocation } from './db-location';
import { PostgresStore } from './postgres/postgres-store';
import { SqliteStore } from './sqlite/sqlite-store';
import type { Store } from './types';

export interface OpenStoreOptions {
  /** A SQLite file path (or ':memory:'), or a postgresql:// / postgres:// URL. */
  db: string;
  logger: Logger;
}

export interface OpenedStore {
  store: Store;
  kind: 'sqlite' | 'postgres';
  /** Where the store is, safe to show: the file path, or the URL with its password masked. */
  location: string;
}

/**
 * ConfigError for a malformed location, an unusable file or a database with a newer schema;
 * StoreUnavailableError when the PostgreSQL server cannot be reached.
 */
export async function openStoreAt(opts: OpenStoreOptions): Promise<OpenedStore> {
  const where = parseDbLocation(opts.db);
  if (where.kind === 'postgres') {
    const store = await PostgresStore.create({ url: where.url, display: where.display, logger: opts.logger });
    return { store, kind: 'postgres', location: where.display };
  }
  const store = await SqliteStore.create({ path: where.path, logger: opts.logger });
  return { store, kind: 'sqlite', location: where.path };
}

export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  return (await openStoreAt(opts)).store;
}
