// API keys in the store: create, list, credential look-up, revoke, validation, and the "any key yet" flag.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../src/errors';
import type { ApiKeyScope, SqliteStore } from '../../src/store';
import { memoryStore } from './temp-store';

let store: SqliteStore;
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(async () => {
  await store.dispose();
});

const hash = (c: string) => c.repeat(64);
const key = { id: '0123456789abcdef', name: 'ci', scopes: ['score', 'read'] as ApiKeyScope[], hash: hash('a') };

describe('API keys repository', () => {
  it('creates and lists keys without their hashes; the credential carries the hash', async () => {
    expect(await store.apiKeys.any()).toBe(false);
    const created = await store.apiKeys.create({ ...key, createdAt: '2025-01-01T00:00:00Z' });
    expect(created).toEqual({
      id: key.id,
      name: 'ci',
      scopes: ['score', 'read'],
      rateLimit: null,
      createdAt: '2025-01-01T00:00:00.000Z',
      revokedAt: null,
    });
    await store.apiKeys.create({
      id: 'fedcba9876543210',
      name: 'ops',
      scopes: ['admin'],
      hash: hash('b'),
      rateLimit: 10,
      createdAt: '2025-02-01T00:00:00Z',
    });
    const listed = await store.apiKeys.list();
    expect(listed.map((k) => k.name)).toEqual(['ci', 'ops']);
    expect(JSON.stringify(listed)).not.toContain(hash('a'));
    expect(listed[1].rateLimit).toBe(10);
    expect(await store.apiKeys.get(key.id)).toEqual(created);
    expect(await store.apiKeys.credential(key.id)).toEqual({ ...created, hash: hash('a') });
    expect(await store.apiKeys.credential('ffffffffffffffff')).toBeNull();
    expect(await store.apiKeys.any()).toBe(true);
  });

  it('revokes once: a second revocation keeps the first time; unknown ids are NotFound', async () => {
    await store.apiKeys.create(key);
    const first = await store.apiKeys.revoke(key.id, '2025-03-01T00:00:00Z');
    expect(first.revokedAt).toBe('2025-03-01T00:00:00.000Z');
    const again = await store.apiKeys.revoke(key.id, '2025-04-01T00:00:00Z');
    expect(again.revokedAt).toBe('2025-03-01T00:00:00.000Z');
    expect((await store.apiKeys.credential(key.id))?.revokedAt).toBe('2025-03-01T00:00:00.000Z');
    await expect(store.apiKeys.revoke('ffffffffffffffff')).rejects.toThrow(NotFoundError);
  });

  it('keeps counting revoked keys, so revoking the last key does not switch authentication off', async () => {
    await store.apiKeys.create(key);
    await store.apiKeys.revoke(key.id);
    expect(await store.apiKeys.any()).toBe(true);
  });

  it('refuses duplicate ids, unknown scopes, malformed hashes and bad rate limits', async () => {
    await store.apiKeys.create(key);
    await expect(store.apiKeys.create({ ...key, hash: hash('c') })).rejects.toThrow(ConflictError);
    await expect(store.apiKeys.create({ ...key, id: 'x1', hash: hash('a') })).rejects.toThrow(ConflictError);
    await expect(store.apiKeys.create({ ...key, id: 'x2', scopes: ['write' as ApiKeyScope] })).rejects.toThrow(
      /scopes\[0\] must be one of score, read, admin/,
    );
    await expect(store.apiKeys.create({ ...key, id: 'x3', scopes: [] })).rejects.toThrow(ValidationError);
    await expect(store.apiKeys.create({ ...key, id: 'x4', hash: 'secret' })).rejects.toThrow(/hash must be a SHA-256/);
    await expect(store.apiKeys.create({ ...key, id: 'x5', hash: hash('d'), rateLimit: 0 })).rejects.toThrow(
      /rateLimit/,
    );
    await expect(store.apiKeys.create({ ...key, id: 'x6', hash: hash('e'), name: '' })).rejects.toThrow(/name/);
    expect((await store.apiKeys.list()).map((k) => k.id)).toEqual([key.id]);
  });
});
