// Contract: API keys, batch-job records and the model registry.
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/errors';
import type { ApiKeyScope } from '../../../src/store';
import { useStore, type HarnessRef } from './harness';

export function keysJobsModelsContract(h: HarnessRef): void {
  const current = useStore(h);
  const hash = (c: string) => c.repeat(64);
  const key = { id: '0123456789abcdef', name: 'ci', scopes: ['score', 'read'] as ApiKeyScope[], hash: hash('a') };

  describe('API keys repository', () => {
    it('creates and lists keys without their hashes; the credential carries the hash', async () => {
      expect(await current().apiKeys.any()).toBe(false);
      const created = await current().apiKeys.create({ ...key, createdAt: '2025-01-01T00:00:00Z' });
      expect(created).toEqual({
        id: key.id,
        name: 'ci',
        scopes: ['score', 'read'],
        rateLimit: null,
        createdAt: '2025-01-01T00:00:00.000Z',
        revokedAt: null,
      });
      await current().apiKeys.create({
        id: 'fedcba9876543210',
        name: 'ops',
        scopes: ['admin'],
        hash: hash('b'),
        rateLimit: 10,
        createdAt: '2025-02-01T00:00:00Z',
      });
      const listed = await current().apiKeys.list();
      expect(listed.map((k) => k.name)).toEqual(['ci', 'ops']);
      expect(JSON.stringify(listed)).not.toContain(hash('a'));
      expect(listed[1].rateLimit).toBe(10);
      expect(await current().apiKeys.get(key.id)).toEqual(created);
      expect(await current().apiKeys.credential(key.id)).toEqual({ ...created, hash: hash('a') });
      expect(await current().apiKeys.credential('ffffffffffffffff')).toBeNull();
      expect(await current().apiKeys.any()).toBe(true);
    });

    it('revokes once: a second revocation keeps the first time; unknown ids are NotFound', async () => {
      await current().apiKeys.create(key);
      const first = await current().apiKeys.revoke(key.id, '2025-03-01T00:00:00Z');
      expect(first.revokedAt).toBe('2025-03-01T00:00:00.000Z');
      const again = await current().apiKeys.revoke(key.id, '2025-04-01T00:00:00Z');
      expect(again.revokedAt).toBe('2025-03-01T00:00:00.000Z');
      expect((await current().apiKeys.credential(key.id))?.revokedAt).toBe('2025-03-01T00:00:00.000Z');
      await expect(current().apiKeys.revoke('ffffffffffffffff')).rejects.toThrow(NotFoundError);
    });

    it('keeps counting revoked keys, so revoking the last key does not switch authentication off', async () => {
      await current().apiKeys.create(key);
      await current().apiKeys.revoke(key.id);
      expect(await current().apiKeys.any()).toBe(true);
    });

    it('refuses duplicate ids, unknown scopes, malformed hashes and bad rate limits', async () => {
      await current().apiKeys.create(key);
      await expect(current().apiKeys.create({ ...key, hash: hash('c') })).rejects.toThrow(ConflictError);
      await expect(current().apiKeys.create({ ...key, id: 'x1', hash: hash('a') })).rejects.toThrow(ConflictError);
      await expect(current().apiKeys.create({ ...key, id: 'x2', scopes: ['write' as ApiKeyScope] })).rejects.toThrow(
        /scopes\[0\] must be one of score, read, admin/,
      );
      await expect(current().apiKeys.create({ ...key, id: 'x3', scopes: [] })).rejects.toThrow(ValidationError);
      await expect(current().apiKeys.create({ ...key, id: 'x4', hash: 'secret' })).rejects.toThrow(
        /hash must be a SHA-256/,
      );
      await expect(current().apiKeys.create({ ...key, id: 'x5', hash: hash('d'), rateLimit: 0 })).rejects.toThrow(
        /rateLimit/,
      );
      await expect(current().apiKeys.create({ ...key, id: 'x6', hash: hash('e'), name: '' })).rejects.toThrow(/name/);
      expect((await current().apiKeys.list()).map((k) => k.id)).toEqual([key.id]);
    });
  });

  describe('jobs', () => {
    it('creates queued jobs and tracks cursor, counts and state', async () => {
      const job = await current().jobs.create({ input: { file: 'batch.csv' } });
      expect(job).toMatchObject({
        state: 'queued',
        input: { file: 'batch.csv' },
        cursor: null,
        counts: null,
        error: null,
      });
      const running = await current().jobs.update(job.id, {
        state: 'running',
        cursor: { row: 500 },
        counts: { scored: 500 },
      });
      expect(running).toMatchObject({ state: 'running', cursor: { row: 500 }, counts: { scored: 500 } });
      const failed = await current().jobs.update(job.id, { state: 'failed', error: 'disk full' });
      expect(failed).toMatchObject({ state: 'failed', cursor: { row: 500 }, error: 'disk full' });
      await current().jobs.create({ input: {} });
      expect(await current().jobs.list({ limit: 10 })).toHaveLength(2);
      expect((await current().jobs.list({ state: 'failed', limit: 10 })).map((j) => j.id)).toEqual([job.id]);
      expect(await current().jobs.get(job.id)).toEqual(failed);
    });

    it('refuses unknown jobs and states', async () => {
      await expect(current().jobs.update('nope', { state: 'running' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(current().jobs.create({ input: {}, state: 'paused' as 'queued' })).rejects.toMatchObject({
        field: 'state',
      });
      expect(await current().jobs.get('nope')).toBeNull();
    });
  });

  describe('models', () => {
    it('registers, lists newest first, and keeps exactly one active', async () => {
      const v1 = await current().models.register({ version: 'v1', path: '/models/v1', metrics: { auc: 0.81 } });
      expect(v1).toMatchObject({ version: 'v1', path: '/models/v1', metrics: { auc: 0.81 }, active: false });
      await current().models.register({ version: 'v2', path: '/models/v2', metrics: { auc: 0.84 } });
      expect((await current().models.list()).map((m) => m.version)).toEqual(['v2', 'v1']);
      expect(await current().models.active()).toBeNull();

      expect((await current().models.activate('v1')).active).toBe(true);
      await current().models.activate('v2');
      expect((await current().models.active())?.version).toBe('v2');
      expect((await current().models.list()).filter((m) => m.active).map((m) => m.version)).toEqual(['v2']);
      expect((await current().models.get('v1'))?.active).toBe(false);
      expect(await current().models.get('v9')).toBeNull();
    });

    it('refuses a duplicate version and activating an unknown one (leaving the active one alone)', async () => {
      await current().models.register({ version: 'v1', path: 'p', metrics: {} });
      await current().models.activate('v1');
      await expect(current().models.register({ version: 'v1', path: 'q', metrics: {} })).rejects.toThrow(ConflictError);
      await expect(current().models.activate('v9')).rejects.toBeInstanceOf(NotFoundError);
      expect((await current().models.active())?.version).toBe('v1');
      await expect(current().models.register({ version: 'v2', path: '', metrics: {} })).rejects.toMatchObject({
        field: 'path',
      });
    });
  });
}
