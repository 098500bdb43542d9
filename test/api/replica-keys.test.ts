// Two API replicas on one PostgreSQL database: a key created or revoked by `churnscope keys` takes effect on both at once.
import { afterAll, describe, expect, it } from 'vitest';
import { keysCreateCommand, keysRevokeCommand, type KeysIo } from '../../src/commands/keys';
import { silentLogger } from '../../src/logging';
import { PostgresStore } from '../../src/store';
import { testDatabaseFor } from '../store/pg-test-database';
import { startTestApp, type TestApp } from './test-app';

const { db, skip } = await testDatabaseFor('PostgreSQL replica key tests');
const apps: TestApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
  await db?.drop();
});

async function replica(): Promise<TestApp> {
  const store = await PostgresStore.create({ url: db!.url, display: db!.name, logger: silentLogger() });
  // once-keys-exist: the loopback default, the mode in which a replica could go on trusting what it saw at start.
  const app = await startTestApp({ store, auth: { enforcement: 'once-keys-exist' } });
  apps.push(app);
  return app;
}

function capture(): KeysIo & { stdout: string[] } {
  const stdout: string[] = [];
  return { stdout, out: (t) => stdout.push(t), note: () => undefined };
}

const get = (base: string, token?: string) =>
  fetch(`${base}/v1/models`, { headers: token ? { authorization: `Bearer ${token}` } : {} }).then((r) => r.status);

describe.skipIf(skip !== undefined)(`API keys across replicas${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('the first key closes both replicas, works on both, and its revocation refuses it on both at once', async () => {
    const [a, b] = [await replica(), await replica()];
    // Both replicas have already answered without a key, so neither may keep "no keys" from that.
    expect([await get(a.base), await get(b.base)]).toEqual([200, 200]);

    const created = capture();
    await keysCreateCommand({ name: 'crm', scopes: 'read', db: db!.url }, created);
    const token = created.stdout[0];
    expect([await get(a.base), await get(b.base)]).toEqual([401, 401]);
    expect([await get(a.base, token), await get(b.base, token)]).toEqual([200, 200]);

    await keysRevokeCommand(token, { db: db!.url }, capture());
    expect([await get(a.base, token), await get(b.base, token)]).toEqual([401, 401]);
    // Revoking the last key must not reopen either replica.
    expect([await get(a.base), await get(b.base)]).toEqual([401, 401]);
  });

  it('a key created after both replicas started is accepted by either, and its revocation seen by the other', async () => {
    const [a, b] = [await replica(), await replica()];
    const io = capture();
    await keysCreateCommand({ name: 'ops', scopes: 'read', db: db!.url }, io);
    expect(await get(b.base, io.stdout[0])).toBe(200);
    await keysRevokeCommand(io.stdout[0], { db: db!.url }, capture());
    expect(await get(a.base, io.stdout[0])).toBe(401);
  });
});
