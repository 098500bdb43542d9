// Contract: texts (generated or given ids, null text, time normalised, validation, duplicate ids).
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../src/errors';
import { useStore, type HarnessRef } from './harness';

export function textsContract(h: HarnessRef): void {
  const current = useStore(h);
  describe('texts', () => {
    it('inserts with a generated or given id and reads back, keeping null text and normalising time', async () => {
      const id = await current().texts.insert({ customerId: 'c', source: 'chat', text: 'hi', hash: 'h1' });
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await current().texts.get(id)).toMatchObject({
        id,
        customerId: 'c',
        source: 'chat',
        text: 'hi',
        hash: 'h1',
      });
      await current().texts.insert({
        id: 'fixed',
        source: 'review',
        text: null,
        hash: 'h2',
        createdAt: '2025-01-02T03:04:05+02:00',
      });
      expect(await current().texts.get('fixed')).toEqual({
        id: 'fixed',
        customerId: null,
        source: 'review',
        text: null,
        hash: 'h2',
        createdAt: '2025-01-02T01:04:05.000Z',
      });
      expect(await current().texts.get('missing')).toBeNull();
    });

    it('refuses bad input and duplicate ids', async () => {
      await expect(current().texts.insert({ source: 'email' as 'chat', text: 'x', hash: 'h' })).rejects.toMatchObject({
        field: 'source',
      });
      await expect(current().texts.insert({ source: 'chat', text: 'x', hash: '' })).rejects.toMatchObject({
        field: 'hash',
      });
      await expect(
        current().texts.insert({ source: 'chat', text: 'x', hash: 'h', createdAt: 'yesterday' }),
      ).rejects.toMatchObject({ field: 'createdAt' });
      await current().texts.insert({ id: 'dup', source: 'chat', text: 'x', hash: 'h' });
      await expect(current().texts.insert({ id: 'dup', source: 'chat', text: 'y', hash: 'h' })).rejects.toThrow(
        ConflictError,
      );
    });
  });
}
