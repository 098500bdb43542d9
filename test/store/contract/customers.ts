// Contract: customers (upsert, all-or-nothing import, erase of every trace, down to the files' bytes).
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors';
import { useStore, type HarnessRef } from './harness';

export function customersContract(h: HarnessRef): void {
  const store = useStore(h);
  /** undefined where the files cannot be read: byte checks then pass either way. */
  const bytesVisible = async (marker: string) => h().bytesVisible?.(marker);
  describe('customers', () => {
    it('upserts, reads back and lists in id order', async () => {
      const first = await store().customers.upsert({ id: 'b', features: { plan: 'pro', seats: 3 }, segment: 'smb' });
      expect(first).toMatchObject({ id: 'b', features: { plan: 'pro', seats: 3 }, segment: 'smb' });
      await store().customers.upsert({ id: 'a', features: {} });
      // Leaving segment out keeps it; null clears it.
      const updated = await store().customers.upsert({ id: 'b', features: { plan: 'team' } });
      expect(updated).toMatchObject({ features: { plan: 'team' }, segment: 'smb', createdAt: first.createdAt });
      expect((await store().customers.upsert({ id: 'b', features: {}, segment: null })).segment).toBeNull();
      expect((await store().customers.list({ limit: 10 })).map((c) => c.id)).toEqual(['a', 'b']);
      expect((await store().customers.list({ limit: 1, offset: 1 })).map((c) => c.id)).toEqual(['b']);
      expect(await store().customers.get('zzz')).toBeNull();
    });

    it('refuses malformed input with a ValidationError naming the field', async () => {
      await expect(store().customers.upsert({ id: '', features: {} })).rejects.toMatchObject({ field: 'id' });
      await expect(
        store().customers.upsert({ id: 'x', features: [] as unknown as Record<string, unknown> }),
      ).rejects.toMatchObject({ field: 'features' });
      await expect(store().customers.list({ limit: 0 })).rejects.toBeInstanceOf(ValidationError);
      await expect(store().customers.list({ limit: 10, offset: -1 })).rejects.toMatchObject({ field: 'offset' });
    });

    it('imports all rows or none, naming the bad row', async () => {
      expect(
        await store().customers.importMany([
          { id: 'a', features: { n: 1 } },
          { id: 'b', features: { n: 2 } },
        ]),
      ).toBe(2);
      const bad = [
        { id: 'c', features: {} },
        { id: 'd', features: null as unknown as Record<string, unknown> },
      ];
      await expect(store().customers.importMany(bad)).rejects.toMatchObject({ row: 1, field: 'features' });
      expect(await store().customers.get('c')).toBeNull();
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      await expect(
        store().customers.importMany([
          { id: 'e', features: {} },
          { id: 'f', features: cyclic },
        ]),
      ).rejects.toBeInstanceOf(ValidationError);
      expect(await store().customers.get('e')).toBeNull();
    });

    it('rolls back a whole import when the write itself fails half-way', async () => {
      await store().customers.upsert({ id: 'keep', features: { v: 1 } });
      const failing = store().transaction(async (tx) => {
        await tx.customers.importMany([
          { id: 'new', features: {} },
          { id: 'keep', features: { v: 2 } },
        ]);
        throw new Error('abort after the import');
      });
      await expect(failing).rejects.toThrow('abort after the import');
      expect(await store().customers.get('new')).toBeNull();
      expect((await store().customers.get('keep'))?.features).toEqual({ v: 1 });
    });

    it('erase removes the customer and every trace of its texts from the database file', async () => {
      const marker = 'MARKER-7f3c9e-cancel-my-subscription';
      const s = store();
      await s.customers.upsert({ id: 'gone', features: { plan: 'pro' } });
      await s.customers.upsert({ id: 'stays', features: {} });
      const rule = await s.alertRules.create({
        name: 'high risk',
        condition: { minRisk: 0.8 },
        action: { webhook: 'x' },
        enabled: true,
      });
      const textIds: string[] = [];
      for (let i = 0; i < 30; i++) {
        const textId = await s.texts.insert({
          customerId: 'gone',
          source: 'ticket',
          text: `${marker} #${i} ${'please '.repeat(40)}`,
          hash: `h${i}`,
        });
        textIds.push(textId);
        await s.scores.insert({
          textId,
          modelVersion: 'm1',
          risk: 0.9,
          textRisk: 0.9,
          tabularRisk: null,
          band: 'critical',
          drivers: { phrase: marker },
        });
        await s.alertLog.record({
          ruleId: rule.id,
          textId,
          status: 'delivered',
          attempts: 1,
          payload: { text: marker },
        });
      }
      await s.feedback.insert({ textId: textIds[0], outcome: 'churned' });
      await s.feedback.insert({ customerId: 'gone', outcome: 'override', overrideRisk: 0.1, note: marker });
      await s.alertLog.record({
        ruleId: rule.id,
        customerId: 'gone',
        status: 'pending',
        attempts: 0,
        payload: { note: marker },
      });
      const kept = await s.texts.insert({ customerId: 'stays', source: 'chat', text: 'hello there', hash: 'k' });

      expect(await bytesVisible(marker)).not.toBe(false);
      expect(await s.customers.erase('gone')).toBe(true);
      expect(await s.customers.erase('gone')).toBe(false);

      expect(await s.customers.get('gone')).toBeNull();
      expect(await s.texts.get(textIds[5])).toBeNull();
      expect(await s.scores.history('gone', { limit: 100 })).toEqual([]);
      expect(await s.feedback.labelledScores()).toEqual([]);
      expect(await s.alertLog.list({ limit: 100 })).toEqual([]);
      expect(await s.texts.get(kept)).not.toBeNull();
      expect(await s.customers.get('stays')).not.toBeNull();
      // erase() cleans the files itself (SQLite: secure_delete + WAL checkpoint; PostgreSQL: VACUUM FULL).
      expect(await bytesVisible(marker)).not.toBe(true);
    });

    it('erase of a customer known only through texts still removes them', async () => {
      await store().texts.insert({ customerId: 'ghost', source: 'review', text: 'meh', hash: 'h' });
      expect(await store().customers.erase('ghost')).toBe(true);
      expect(await store().customers.erase('nobody')).toBe(false);
    });
  });
}
