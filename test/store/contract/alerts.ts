// Contract: alert rules (CRUD, duplicates) and the delivery log (attempts, order, cascade).
import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../../src/errors';
import { useStore, type HarnessRef } from './harness';

export function alertsContract(h: HarnessRef): void {
  const current = useStore(h);
  const rule = { name: 'critical', condition: { band: 'critical' }, action: { webhook: 'https://x' }, enabled: true };

  describe('alert rules', () => {
    it('creates, reads, lists by name, patches and deletes', async () => {
      const created = await current().alertRules.create(rule);
      expect(created).toMatchObject(rule);
      await current().alertRules.create({ ...rule, name: 'another', enabled: false });
      expect((await current().alertRules.list()).map((r) => r.name)).toEqual(['another', 'critical']);
      const updated = await current().alertRules.update(created.id, { enabled: false, condition: { minRisk: 0.9 } });
      expect(updated).toMatchObject({
        name: 'critical',
        enabled: false,
        condition: { minRisk: 0.9 },
        action: rule.action,
        createdAt: created.createdAt,
      });
      expect(await current().alertRules.get(created.id)).toEqual(updated);
      await current().alertRules.delete(created.id);
      expect(await current().alertRules.get(created.id)).toBeNull();
    });

    it('refuses duplicates, bad fields and unknown ids', async () => {
      const created = await current().alertRules.create(rule);
      await expect(current().alertRules.create(rule)).rejects.toMatchObject({ field: 'name', status: 409 });
      await expect(
        current().alertRules.create({ ...rule, name: 'x', enabled: 'yes' as unknown as boolean }),
      ).rejects.toMatchObject({ field: 'enabled' });
      await expect(current().alertRules.create({ ...rule, name: 'y', condition: undefined })).rejects.toMatchObject({
        field: 'condition',
      });
      await expect(current().alertRules.update(created.id, { name: '' })).rejects.toBeInstanceOf(ValidationError);
      await expect(current().alertRules.update('nope', { enabled: false })).rejects.toBeInstanceOf(NotFoundError);
      await expect(current().alertRules.delete('nope')).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('alert log', () => {
    it('records deliveries, updates attempts and lists newest first per rule', async () => {
      const r1 = await current().alertRules.create(rule);
      const r2 = await current().alertRules.create({ ...rule, name: 'other' });
      const first = await current().alertLog.record({
        ruleId: r1.id,
        customerId: 'c',
        status: 'pending',
        attempts: 0,
        payload: { risk: 0.97 },
      });
      await current().alertLog.record({ ruleId: r2.id, status: 'delivered', attempts: 1, payload: null });
      const second = await current().alertLog.record({ ruleId: r1.id, status: 'pending', attempts: 0, payload: {} });
      const failed = await current().alertLog.update(first, { status: 'failed', attempts: 3, lastError: 'HTTP 502' });
      expect(failed).toMatchObject({
        id: first,
        ruleId: r1.id,
        customerId: 'c',
        status: 'failed',
        attempts: 3,
        lastError: 'HTTP 502',
        payload: { risk: 0.97 },
      });
      expect((await current().alertLog.list({ ruleId: r1.id, limit: 10 })).map((d) => d.id)).toEqual([second, first]);
      expect(await current().alertLog.list({ limit: 10 })).toHaveLength(3);
      // Deleting a rule takes its log with it.
      await current().alertRules.delete(r1.id);
      expect(await current().alertLog.list({ limit: 10 })).toHaveLength(1);
    });

    it('refuses unknown rules and ids and bad fields', async () => {
      const r = await current().alertRules.create(rule);
      await expect(
        current().alertLog.record({ ruleId: 'nope', status: 'pending', attempts: 0, payload: {} }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        current().alertLog.record({ ruleId: r.id, status: 'sent' as 'delivered', attempts: 0, payload: {} }),
      ).rejects.toMatchObject({ field: 'status' });
      await expect(
        current().alertLog.record({ ruleId: r.id, status: 'pending', attempts: -1, payload: {} }),
      ).rejects.toMatchObject({ field: 'attempts' });
      await expect(current().alertLog.update('nope', { attempts: 1 })).rejects.toBeInstanceOf(NotFoundError);
    });

    it('claims a delivery once per (rule, claim), concurrent claimers included; other rules and claims are free', async () => {
      const r1 = await current().alertRules.create(rule);
      const r2 = await current().alertRules.create({ ...rule, name: 'second' });
      const delivery = { ruleId: r1.id, status: 'pending' as const, attempts: 0, payload: { n: 1 } };
      const won = await Promise.all(
        Array.from({ length: 6 }, () => current().alertLog.claim({ ...delivery, claim: 'c1:hash' })),
      );
      expect(won.filter((id) => id !== null)).toHaveLength(1);
      expect(await current().alertLog.claim({ ...delivery, ruleId: r2.id, claim: 'c1:hash' })).not.toBeNull();
      expect(await current().alertLog.claim({ ...delivery, claim: 'c2:hash' })).not.toBeNull();
      // Unclaimed records never collide with each other.
      await current().alertLog.record(delivery);
      await current().alertLog.record(delivery);
      expect(await current().alertLog.list({ ruleId: r1.id, limit: 10 })).toHaveLength(4);
      // Inside a transaction a lost claim undoes only itself.
      const inTx = await current().transaction(async (tx) => {
        const lost = await tx.alertLog.claim({ ...delivery, claim: 'c1:hash' });
        const fresh = await tx.alertLog.claim({ ...delivery, claim: 'c3:hash' });
        return { lost, fresh };
      });
      expect(inTx.lost).toBeNull();
      expect(inTx.fresh).not.toBeNull();
      await expect(current().alertLog.claim({ ...delivery, ruleId: 'nope', claim: 'x' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(current().alertLog.claim({ ...delivery, claim: '' })).rejects.toMatchObject({ field: 'claim' });
      // Deleting the rule frees its claims.
      await current().alertRules.delete(r1.id);
      const again = await current().alertRules.create(rule);
      expect(await current().alertLog.claim({ ...delivery, ruleId: again.id, claim: 'c1:hash' })).not.toBeNull();
    });
  });
}
