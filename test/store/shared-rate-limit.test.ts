// Two API apps on one PostgreSQL database count each key's requests together: the limit holds across replicas.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth';
import { silentLogger } from '../../src/logging';
import { PostgresStore } from '../../src/store';
import { startTestApp, type TestApp } from '../api/test-app';
import { testDatabaseFor } from './pg-test-database';

const { db, skip } = await testDatabaseFor('PostgreSQL rate-limit tests');
const apps: TestApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
  await db?.drop();
});

const WINDOW_S = 3600;

async function replica(): Promise<TestApp> {
  const store = await PostgresStore.create({ url: db!.url, display: db!.name, logger: silentLogger() });
  const app = await startTestApp({
    store,
    auth: { enforcement: 'always' },
    rateLimit: { requests: 3, windowSeconds: WINDOW_S, shared: store.rateLimits },
  });
  apps.push(app);
  return app;
}

/** Windows are aligned to the clock: start well inside one, so a test never straddles a boundary. */
async function awayFromBoundary(): Promise<void> {
  const into = Date.now() % (WINDOW_S * 1000);
  if (into > WINDOW_S * 1000 - 10_000) await sleep(WINDOW_S * 1000 - into + 100);
}

const get = (base: string, token: string) =>
  fetch(`${base}/v1/models`, { headers: { authorization: `Bearer ${token}` } });

describe.skipIf(skip !== undefined)(`rate limits shared across replicas${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('a key gets 3 requests in all, whichever of two replicas answers them; other keys are untouched', async () => {
    const [a, b] = [await replica(), await replica()];
    await awayFromBoundary();
    const key = (await createApiKey(a.store.apiKeys, { name: 'crm', scopes: ['read'] })).token;
    const other = (await createApiKey(b.store.apiKeys, { name: 'ops', scopes: ['read'] })).token;
    expect((await get(a.base, key)).status).toBe(200);
    expect((await get(b.base, key)).status).toBe(200);
    expect((await get(a.base, key)).status).toBe(200);
    const limited = await get(b.base, key);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await get(a.base, key)).status).toBe(429);
    expect((await get(b.base, other)).status).toBe(200);
  });

  it('concurrent requests through both replicas let exactly the limit through', async () => {
    const [a, b] = [await replica(), await replica()];
    await awayFromBoundary();
    const key = (await createApiKey(a.store.apiKeys, { name: 'burst', scopes: ['read'] })).token;
    const statuses = await Promise.all(Array.from({ length: 10 }, (_, i) => get(i % 2 ? a.base : b.base, key)));
    expect(statuses.filter((r) => r.status === 200)).toHaveLength(3);
    expect(statuses.filter((r) => r.status === 429)).toHaveLength(7);
  });
});
