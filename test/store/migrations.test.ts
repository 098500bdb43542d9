// Schema migrations: fresh file, idempotent reopen, per-migration atomicity, and refusing a newer schema.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors';
import { silentLogger } from '../../src/logging';
import { SqliteStore } from '../../src/store';
import { migrate } from '../../src/store/sqlite/migrate';
import { migrations, type Migration } from '../../src/store/sqlite/migrations';
import { tempDir } from './temp-store';

const latest = migrations[migrations.length - 1].version;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function dbFile(): Promise<string> {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  return path.join(dir, 'a', 'b', 'churnscope.db');
}

function versions(file: string): number[] {
  const db = new Database(file, { readonly: true });
  try {
    return (
      db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>
    ).map((r) => r.version);
  } finally {
    db.close();
  }
}

describe('migrations', () => {
  it('creates the folder and every table on a fresh file, and records each version once', async () => {
    const file = await dbFile();
    const store = await SqliteStore.create({ path: file, logger: silentLogger() });
    await store.dispose();
    expect(versions(file)).toEqual(migrations.map((m) => m.version));
    const db = new Database(file, { readonly: true });
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>
    ).map((r) => r.name);
    const applied = db.prepare('SELECT applied_at FROM schema_migrations').get() as { applied_at: string };
    db.close();
    expect(tables).toEqual(
      expect.arrayContaining([
        'customers',
        'texts',
        'scores',
        'feedback',
        'models',
        'alert_rules',
        'alert_log',
        'jobs',
        'api_keys',
        'schema_migrations',
      ]),
    );
    expect(new Date(applied.applied_at).toISOString()).toBe(applied.applied_at);
  });

  it('reopens an up-to-date database without applying anything and keeps its data', async () => {
    const file = await dbFile();
    const first = await SqliteStore.create({ path: file, logger: silentLogger() });
    await first.customers.upsert({ id: 'c1', features: { plan: 'pro' } });
    await first.dispose();
    const second = await SqliteStore.create({ path: file, logger: silentLogger() });
    expect((await second.customers.get('c1'))?.features).toEqual({ plan: 'pro' });
    await second.dispose();
    expect(versions(file)).toEqual(migrations.map((m) => m.version));
  });

  it('refuses a database whose schema is newer than this code knows', async () => {
    const file = await dbFile();
    await (await SqliteStore.create({ path: file, logger: silentLogger() })).dispose();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      latest + 1,
      'from the future',
      new Date().toISOString(),
    );
    db.close();
    const opening = SqliteStore.create({ path: file, logger: silentLogger() });
    await expect(opening).rejects.toBeInstanceOf(ConfigError);
    await expect(opening).rejects.toThrow(
      `schema is version ${latest + 1}, newer than the ${latest} this churnscope knows`,
    );
  });

  it('applies pending migrations in order, each atomically: a failing one leaves the earlier ones applied', () => {
    const db = new Database(':memory:');
    const list: Migration[] = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x)' },
      { version: 2, name: 'two', sql: 'CREATE TABLE b (x); CREATE TABLE oops (' },
    ];
    expect(() => migrate(db, list, silentLogger())).toThrow(/migration 2 \(two\) failed/);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>
    ).map((r) => r.name);
    expect(tables).toContain('a');
    expect(tables).not.toContain('b');
    list[1] = { version: 2, name: 'two', sql: 'CREATE TABLE b (x)' };
    expect(migrate(db, list, silentLogger())).toEqual({ from: 1, to: 2, applied: [2] });
    expect(migrate(db, list, silentLogger())).toEqual({ from: 2, to: 2, applied: [] });
    db.close();
  });

  it('refuses a migration list that is not strictly increasing', () => {
    const db = new Database(':memory:');
    const list: Migration[] = [
      { version: 2, name: 'two', sql: 'SELECT 1' },
      { version: 2, name: 'again', sql: 'SELECT 1' },
    ];
    expect(() => migrate(db, list, silentLogger())).toThrow(ConfigError);
    db.close();
  });
});
