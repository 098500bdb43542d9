// Contract: retention (texts older than a cutoff go with everything tied to them, in batches, out of the files).
import { describe, expect, it } from 'vitest';
import { useStore, type HarnessRef } from './harness';

export function retentionContract(h: HarnessRef): void {
  const store = useStore(h);
  /** undefined where the files cannot be read: byte checks then pass either way. */
  const bytesVisible = async (marker: string) => h().bytesVisible?.(marker);
  const day = (n: number) => new Date(Date.UTC(2025, 0, 1 + n)).toISOString();

  describe('texts.deleteOlderThan', () => {
    it('deletes old texts with everything tied to them, keeps newer ones and customer-level records', async () => {
      const s = store();
      const rule = await s.alertRules.create({
        name: 'r',
        condition: { type: 'risk_above', threshold: 0 },
        action: {},
        enabled: true,
      });
      const ids: Record<string, string> = {};
      for (const [name, at] of [
        ['old1', 1],
        ['old2', 2],
        ['old3', 3],
        ['edge', 10],
        ['new', 20],
      ] as const) {
        ids[name] = await s.texts.insert({
          customerId: 'c',
          source: 'chat',
          text: `RETAINMARKER-${name}`,
          hash: name,
          createdAt: day(at),
        });
        await s.scores.insert({
          textId: ids[name],
          modelVersion: 'm',
          risk: 0.5,
          textRisk: 0.5,
          tabularRisk: null,
          band: 'medium',
          drivers: { phrases: [{ text: `RETAINMARKER-${name}` }] },
          createdAt: day(at),
        });
        await s.feedback.insert({ textId: ids[name], outcome: 'churned', at: day(at) });
        await s.alertLog.record({
          ruleId: rule.id,
          textId: ids[name],
          customerId: 'c',
          status: 'delivered',
          attempts: 1,
          payload: { n: name },
        });
      }
      await s.feedback.insert({ customerId: 'c', outcome: 'retained', at: day(0) });
      await s.alertLog.record({ ruleId: rule.id, customerId: 'c', status: 'delivered', attempts: 1, payload: {} });
      expect(await bytesVisible('RETAINMARKER-old2')).not.toBe(false);

      // The cutoff is exclusive: a text written exactly at it stays. Batches of 2 make the purge take several turns.
      expect(await s.texts.deleteOlderThan(new Date(day(10)), { batchSize: 2 })).toBe(3);

      for (const name of ['old1', 'old2', 'old3']) expect(await s.texts.get(ids[name])).toBeNull();
      for (const name of ['edge', 'new']) expect(await s.texts.get(ids[name])).not.toBeNull();
      const history = await s.scores.history('c', { limit: 10 });
      expect(history.map((h) => h.textId)).toEqual([ids.new, ids.edge]);
      const deliveries = await s.alertLog.list({ limit: 10 });
      expect(deliveries.map((d) => d.textId).sort()).toEqual([ids.edge, ids.new, null].sort());
      // Two text-level "churned" points remain (edge, new); the customer-level "retained" one too.
      expect((await s.feedback.labelledScores()).map((p) => p.label).sort()).toEqual([0, 1, 1]);
      for (const name of ['old1', 'old2', 'old3']) expect(await bytesVisible(`RETAINMARKER-${name}`)).not.toBe(true);
      expect(await bytesVisible('RETAINMARKER-new')).not.toBe(false);
    });

    it('returns 0 and leaves everything when nothing is old enough', async () => {
      await store().texts.insert({ source: 'chat', text: 'fresh', hash: 'f', createdAt: day(5) });
      expect(await store().texts.deleteOlderThan(new Date(day(5)))).toBe(0);
      expect(await bytesVisible('fresh')).not.toBe(false);
    });

    it('refuses a cutoff that is not a date and a batch size below 1', async () => {
      await expect(store().texts.deleteOlderThan(new Date('nope'))).rejects.toMatchObject({ field: 'cutoff' });
      await expect(store().texts.deleteOlderThan(new Date(), { batchSize: 0 })).rejects.toMatchObject({
        field: 'batchSize',
      });
    });

    it('stores and returns the redacted snippet beside the text', async () => {
      const id = await store().texts.insert({ source: 'ticket', text: null, hash: 'h', snippet: 'Call [PHONE] now' });
      expect(await store().texts.get(id)).toMatchObject({ text: null, snippet: 'Call [PHONE] now' });
    });
  });
}
