// Two API replicas on one database: activating a model on one switches the other (pushed on PostgreSQL, polled on SQLite), and a version a replica lacks is refused there, visibly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging';
import { PostgresStore, SqliteStore, type Store } from '../../src/store';
import { testDatabaseFor } from '../store/pg-test-database';
import { call, startTestApp, type TestApp } from './test-app';

const { db, skip } = await testDatabaseFor('PostgreSQL replica model tests');
const apps: TestApp[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replica-models-'));
afterAll(async () => {
  for (const app of apps) await app.close();
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function replica(store: Store, has: string[], pollMs: number): Promise<TestApp> {
  const app = await startTestApp({ store, extraModels: has, followModels: { pollMs } });
  apps.push(app);
  return app;
}

async function register(store: Store, versions: string[]): Promise<void> {
  for (const version of versions) {
    if (!(await store.models.get(version)))
      await store.models.register({ version, path: `/models/${version}`, metrics: null });
  }
}

/** GET /v1/models on the replica until `done` holds (or 3 s pass), returning the last answer. */
async function modelsUntil(app: TestApp, done: (json: any) => boolean): Promise<any> {
  let json: any;
  for (const until = Date.now() + 3000; Date.now() < until; await sleep(20)) {
    json = (await call(app.base, 'GET', '/v1/models')).json;
    if (done(json)) break;
  }
  return json;
}

describe.skipIf(skip !== undefined)(
  `model activation across PostgreSQL replicas${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const open = () => PostgresStore.create({ url: db!.url, display: db!.name, logger: silentLogger() });

    it('an activation on one replica is pushed to the other (no polling), which opens its own bundle', async () => {
      const a = await replica(await open(), ['v2', 'v3'], 0);
      const b = await replica(await open(), ['v2'], 0);
      await register(a.store, ['v1', 'v2', 'v3']);
      expect((await call(a.base, 'POST', '/v1/models/v2/activate')).status).toBe(200);
      const seen = await modelsUntil(b, (j) => j.active === 'v2');
      expect(seen).toMatchObject({ active: 'v2', sync: { stored: 'v2' } });
      expect(seen.sync.mismatch).toBeUndefined();
      expect(b.models.active().dir).toBe('/models/v2');

      // v3 is in a's models directory only: b refuses it, keeps serving v2 and says why.
      expect((await call(a.base, 'POST', '/v1/models/v3/activate')).status).toBe(200);
      const refused = await modelsUntil(b, (j) => j.sync?.mismatch !== undefined);
      expect(refused).toMatchObject({ active: 'v2', sync: { stored: 'v3', mismatch: { version: 'v3' } } });
      expect(refused.sync.mismatch.reason).toMatch(/no bundle for "v3"/);
      expect((await call(b.base, 'POST', '/v1/score', { text: 'fine' })).json.modelVersion).toBe('v2');

      // Back to a version b has: the mismatch clears.
      expect((await call(a.base, 'POST', '/v1/models/v1/activate')).status).toBe(200);
      const back = await modelsUntil(b, (j) => j.active === 'v1');
      expect(back).toMatchObject({ active: 'v1', sync: { stored: 'v1' } });
      expect(back.sync.mismatch).toBeUndefined();
    });

    it('a replica starting later adopts the stored active version', async () => {
      const a = await replica(await open(), ['v2'], 0);
      await register(a.store, ['v1', 'v2']);
      expect((await call(a.base, 'POST', '/v1/models/v2/activate')).status).toBe(200);
      const late = await replica(await open(), ['v2'], 0);
      expect(late.models.active().version).toBe('v2');
    });
  },
);

describe('model activation across replicas on one SQLite file (polling)', () => {
  it('the other process follows within its poll interval', async () => {
    const file = path.join(dir, 'shared.db');
    const open = () => SqliteStore.create({ path: file, logger: silentLogger() });
    const a = await replica(await open(), ['v2'], 50);
    const b = await replica(await open(), ['v2'], 50);
    await register(a.store, ['v1', 'v2']);
    expect((await call(a.base, 'POST', '/v1/models/v2/activate')).status).toBe(200);
    expect(await modelsUntil(b, (j) => j.active === 'v2')).toMatchObject({ active: 'v2', sync: { stored: 'v2' } });
  });
});
