// A starting `serve` on PostgreSQL adopts the model the replicas share instead of re-activating its own --model.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  learningActiveModel,
  registerModels,
  resolveShadowDir,
  startingModelDir,
} from '../../src/commands/serve-models';
import { ConfigError } from '../../src/errors';
import { silentLogger } from '../../src/logging';
import { PostgresStore, SqliteStore } from '../../src/store';
import { testDatabaseFor, truncateAll } from '../store/pg-test-database';

const { db, skip } = await testDatabaseFor('PostgreSQL serve start-up model tests');
let pg: PostgresStore | undefined;
afterAll(async () => {
  await pg?.dispose();
  await db?.drop();
});

const config = { modelDir: '/own/v1' };
const own = { version: 'v1', dir: '/own/v1' };
const v2 = { version: 'v2', dir: '/models/v2' };

/** What serve does before it builds the registry: pick the bundle to open, then record what it knows. */
async function start(opened: { store: PostgresStore | SqliteStore; kind: 'postgres' | 'sqlite' }, has: (typeof own)[]) {
  const dir = await startingModelDir(config, opened, has, silentLogger());
  const initial = [own, ...has].find((m) => m.dir === dir)!;
  await registerModels(opened, [own, ...has], initial);
  return { opened: initial.version, stored: (await opened.store.models.active())?.version };
}

describe.skipIf(skip !== undefined)(`serve start-up on PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  beforeEach(async () => {
    pg ??= await PostgresStore.create({ url: db!.url, display: db!.name, logger: silentLogger() });
    await truncateAll(db!.url);
  });

  it('the first replica records its own model as active', async () => {
    expect(await start({ store: pg!, kind: 'postgres' }, [v2])).toEqual({ opened: 'v1', stored: 'v1' });
  });

  it('a restarted replica adopts the version activated elsewhere, and does not override it', async () => {
    await start({ store: pg!, kind: 'postgres' }, [v2]);
    await pg!.models.activate('v2'); // another replica's POST /v1/models/v2/activate
    expect(await start({ store: pg!, kind: 'postgres' }, [v2])).toEqual({ opened: 'v2', stored: 'v2' });
  });

  it('a replica lacking the stored version starts on its own model and leaves the shared choice alone', async () => {
    await start({ store: pg!, kind: 'postgres' }, [v2]);
    await pg!.models.activate('v2');
    expect(await start({ store: pg!, kind: 'postgres' }, [])).toEqual({ opened: 'v1', stored: 'v2' });
  });
});

describe('serve start-up on SQLite', () => {
  it('serves and records its own --model, as one process always did', async () => {
    const store = await SqliteStore.create({ path: ':memory:', logger: silentLogger() });
    try {
      await start({ store, kind: 'sqlite' }, [v2]);
      await store.models.activate('v2');
      expect(await start({ store, kind: 'sqlite' }, [v2])).toEqual({ opened: 'v1', stored: 'v1' });
    } finally {
      await store.dispose();
    }
  });
});

describe('resolveShadowDir', () => {
  it('takes a bundle directory, or the version of a known bundle, and names the known ones otherwise', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shadow-dir-'));
    try {
      const known = [{ version: 'v2', dir: '/models/v2' }];
      expect(resolveShadowDir(dir, known)).toBe(dir);
      expect(resolveShadowDir('v2', known)).toBe('/models/v2');
      expect(() => resolveShadowDir('v9', known)).toThrow(/shadow.model "v9" .*known version \(v2\)/);
      expect(() => resolveShadowDir('v9', known)).toThrow(ConfigError);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('learningActiveModel', () => {
  it('adds a version activated after start-up to the known models when its folder exists here', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'learn-model-'));
    const store = await SqliteStore.create({ path: ':memory:', logger: silentLogger() });
    try {
      const known = [{ version: 'v1', dir: '/models/v1' }];
      const models = learningActiveModel(store.models, known);
      expect(await models.active()).toBeNull();
      await store.models.register({ version: 'gone', path: path.join(dir, 'missing'), metrics: null });
      await store.models.activate('gone');
      expect((await models.active())?.version).toBe('gone');
      expect(known.map((m) => m.version)).toEqual(['v1']);
      await store.models.register({ version: 'v2', path: dir, metrics: null });
      await store.models.activate('v2');
      expect((await models.active())?.version).toBe('v2');
      await models.active();
      expect(known).toEqual([
        { version: 'v1', dir: '/models/v1' },
        { version: 'v2', dir },
      ]);
    } finally {
      await store.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
