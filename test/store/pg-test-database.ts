// Test helper: a fresh PostgreSQL database per test file (churnscope_test_<random>), dropped after; or why there is none.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';

export const TEST_PG_URL = process.env.CHURNSCOPE_TEST_PG || 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** Connection string of the fresh database. */
  url: string;
  name: string;
  /** Drops the database, closing whatever connections are left on it. */
  drop: () => Promise<void>;
  /** Whether any file of the database holds the marker, or undefined when its files cannot be read from here. */
  bytesVisible: (marker: string) => Promise<boolean | undefined>;
}

export type TestDatabaseResult = { db: TestDatabase } | { skip: string };

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.href;
}

async function admin<T>(fn: (client: Client) => Promise<T>, url = TEST_PG_URL): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabaseResult> {
  const name = `churnscope_test_${randomBytes(6).toString('hex')}`;
  try {
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
  } catch (e) {
    return { skip: `PostgreSQL at ${new URL(TEST_PG_URL).host} is not usable (${(e as Error).message || String(e)})` };
  }
  const url = withDatabase(TEST_PG_URL, name);
  return {
    db: {
      url,
      name,
      drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
      bytesVisible: (marker) => scanDatabaseFiles(url, marker),
    },
  };
}

/**
 * For a PostgreSQL test file: its fresh database, or why there is none (said on stderr). With CI=true a missing
 * server is an error, not a skip, so a broken CI setup cannot pass unnoticed.
 */
export async function testDatabaseFor(suite: string): Promise<{ db?: TestDatabase; skip?: string }> {
  const setup = await createTestDatabase();
  if ('db' in setup) return { db: setup.db };
  if (process.env.CI === 'true') throw new Error(`CI=true but the PostgreSQL suites cannot run: ${setup.skip}`);
  process.stderr.write(`${suite} skipped: ${setup.skip}\n`);
  return { skip: setup.skip };
}

/** CHECKPOINT writes dirty pages out, then every file of the database's folder is searched; needs a local server. */
async function scanDatabaseFiles(url: string, marker: string): Promise<boolean | undefined> {
  let dir: string;
  try {
    dir = await admin(async (c) => {
      await c.query('CHECKPOINT');
      const { rows } = await c.query<{ dir: string }>(
        `SELECT current_setting('data_directory') || '/base/' || oid AS dir FROM pg_database WHERE datname = current_database()`,
      );
      return rows[0].dir;
    }, url);
    await access(dir, constants.R_OK);
  } catch {
    return undefined;
  }
  const needle = Buffer.from(marker, 'utf8');
  for (const f of await readdir(dir)) {
    if ((await readFile(path.join(dir, f))).includes(needle)) return true;
  }
  return false;
}

/** Empties every table the store owns (the schema stays), so each test starts from no rows. */
export async function truncateAll(url: string): Promise<void> {
  await admin(
    (c) =>
      c.query(`TRUNCATE customers, texts, scores, feedback, models, alert_rules, alert_log, jobs, api_keys, themes,
               rate_limits
               RESTART IDENTITY CASCADE`),
    url,
  );
}
