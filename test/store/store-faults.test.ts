// Store faults: PostgreSQL unreachable at start (exit 2, one line), lost mid-run (503 + Retry-After, then recovery),
// a schema newer than the code (refused, naming both versions), replicas migrating together.
import { execFile } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, StoreUnavailableError } from '../../src/errors';
import { silentLogger } from '../../src/logging';
import { openStore, PostgresStore } from '../../src/store';
import { pgMigrations } from '../../src/store/postgres/pg-migrations';
import { startTestApp } from '../api/test-app';
import { testDatabaseFor } from './pg-test-database';
import { startTcpProxy } from './tcp-proxy';

const CLI = path.resolve('bin/churnscope.js');

async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      env: { ...process.env, LOG_LEVEL: 'error', CHURNSCOPE_DB: '' },
    });
    return { code: 0, stderr };
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, stderr: err.stderr };
  }
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('PostgreSQL unreachable at start', () => {
  it('openStore throws StoreUnavailableError naming the server, password masked, on one line', async () => {
    const url = `postgresql://app:hunter2@127.0.0.1:${await closedPort()}/churn`;
    const error = await openStore({ db: url, logger: silentLogger() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^cannot reach PostgreSQL at postgresql:\/\/app:\*\*\*@127\.0\.0\.1:\d+\/churn: .*ECONNREFUSED/,
    );
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('\n');
  });

  it('the CLI prints one line and exits 2, for an unreachable server and for a malformed URL alike', async () => {
    const down = await cli(['keys', 'list', '--db', `postgresql://app:hunter2@127.0.0.1:${await closedPort()}/churn`]);
    expect(down.code).toBe(2);
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
    expect(down.stderr).toMatch(/^churnscope: cannot reach PostgreSQL at .*ECONNREFUSED/);
    expect(down.stderr).not.toContain('hunter2');
    const malformed = await cli(['keys', 'list', '--db', 'postgresql://app:hunter2@[bad/churn']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr.trim()).toMatch(
      /^churnscope: --db \(CHURNSCOPE_DB\): malformed PostgreSQL connection string/,
    );
    expect(malformed.stderr).not.toContain('hunter2');
  });
});

const { db, skip } = await testDatabaseFor('PostgreSQL fault tests');
afterAll(async () => {
  await db?.drop();
});

describe.skipIf(skip !== undefined)(`PostgreSQL faults${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('replicas starting together migrate once, under the advisory lock', async () => {
    const stores = await Promise.all(
      [1, 2, 3].map(() => PostgresStore.create({ url: db!.url, display: db!.name, logger: silentLogger() })),
    );
    await Promise.all(stores.map((s) => s.dispose()));
    const client = new Client({ connectionString: db!.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY 1');
      expect(rows.map((r) => r.version)).toEqual(pgMigrations.map((m) => m.version));
    } finally {
      await client.end();
    }
  });

  it('refuses a database whose schema is newer than the code, naming both versions, on one line', async () => {
    const known = pgMigrations[pgMigrations.length - 1].version;
    const client = new Client({ connectionString: db!.url });
    await client.connect();
    await client.query("INSERT INTO schema_migrations VALUES (99, 'from the future', now())");
    await client.end();
    try {
      const error = await openStore({ db: db!.url, logger: silentLogger() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(`schema is version 99, newer than the ${known} this churnscope knows`);
      const viaCli = await cli(['keys', 'list', '--db', db!.url]);
      expect(viaCli.code).toBe(2);
      expect(viaCli.stderr.trim().split('\n')).toEqual([
        expect.stringContaining(`version 99, newer than the ${known}`),
      ]);
    } finally {
      const again = new Client({ connectionString: db!.url });
      await again.connect();
      await again.query('DELETE FROM schema_migrations WHERE version = 99');
      await again.end();
    }
  });

  it('a transaction in flight when the connection drops fails with StoreUnavailableError; the process lives on', async () => {
    const target = new URL(db!.url);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(db!.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const store = await PostgresStore.create({ url: viaProxy.href, display: 'proxy', logger: silentLogger() });
    try {
      const inFlight = store.transaction(async (tx) => {
        await tx.customers.upsert({ id: 'half', features: {} });
        await sleep(200);
        await tx.customers.upsert({ id: 'never', features: {} });
      });
      await sleep(50);
      await proxy.cut();
      await expect(inFlight).rejects.toBeInstanceOf(StoreUnavailableError);
      await proxy.restore();
      // Nothing of the lost transaction was committed, and the store works again without being reopened.
      expect(await store.customers.get('half')).toBeNull();
      await store.transaction(async (tx) => tx.customers.upsert({ id: 'after', features: {} }));
      expect(await store.customers.get('after')).not.toBeNull();
    } finally {
      await store.dispose();
      await proxy.close();
    }
  });

  it('answers 503 with Retry-After while the server is lost mid-run, and recovers when it is back', async () => {
    const target = new URL(db!.url);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(db!.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const store = await PostgresStore.create({ url: viaProxy.href, display: 'proxy', logger: silentLogger() });
    const app = await startTestApp({ store });
    try {
      await store.customers.upsert({ id: 'c1', features: { plan: 'pro' } });
      expect((await fetch(`${app.base}/v1/customers/c1`)).status).toBe(200);

      await proxy.cut();
      const lost = await fetch(`${app.base}/v1/customers/c1`);
      expect(lost.status).toBe(503);
      expect(Number(lost.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const body = (await lost.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('store_unavailable');
      expect(body.error.message).not.toMatch(/127\.0\.0\.1|proxy/);
      // Readiness asks the store too: a balancer takes the replica out until the database is back.
      expect((await fetch(`${app.base}/readyz`)).status).toBe(503);
      expect((await fetch(`${app.base}/healthz`)).status).toBe(200);

      await proxy.restore();
      // The pool drops the dead connections and opens new ones on demand: no restart needed.
      const back = await fetch(`${app.base}/v1/customers/c1`);
      expect(back.status).toBe(200);
      expect((await fetch(`${app.base}/readyz`)).status).toBe(200);
    } finally {
      await app.close();
      await proxy.close();
    }
  });
});
