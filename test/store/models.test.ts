// The model registry: registration, ordering, and exactly one active version.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../src/errors';
import type { SqliteStore } from '../../src/store';
import { memoryStore } from './temp-store';

let store: SqliteStore;
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(async () => {
  await store.dispose();
});

describe('models', () => {
  it('registers, lists newest first, and keeps exactly one active', async () => {
    const v1 = await store.models.register({ version: 'v1', path: '/models/v1', metrics: { auc: 0.81 } });
    expect(v1).toMatchObject({ version: 'v1', path: '/models/v1', metrics: { auc: 0.81 }, active: false });
    await store.models.register({ version: 'v2', path: '/models/v2', metrics: { auc: 0.84 } });
    expect((await store.models.list()).map((m) => m.version)).toEqual(['v2', 'v1']);
    expect(await store.models.active()).toBeNull();

    expect((await store.models.activate('v1')).active).toBe(true);
    await store.models.activate('v2');
    expect((await store.models.active())?.version).toBe('v2');
    expect((await store.models.list()).filter((m) => m.active).map((m) => m.version)).toEqual(['v2']);
    expect((await store.models.get('v1'))?.active).toBe(false);
    expect(await store.models.get('v9')).toBeNull();
  });

  it('refuses a duplicate version and activating an unknown one (leaving the active one alone)', async () => {
    await store.models.register({ version: 'v1', path: 'p', metrics: {} });
    await store.models.activate('v1');
    await expect(store.models.register({ version: 'v1', path: 'q', metrics: {} })).rejects.toThrow(ConflictError);
    await expect(store.models.activate('v9')).rejects.toBeInstanceOf(NotFoundError);
    expect((await store.models.active())?.version).toBe('v1');
    await expect(store.models.register({ version: 'v2', path: '', metrics: {} })).rejects.toMatchObject({
      field: 'path',
    });
  });
});
