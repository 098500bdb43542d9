// Contract: the dashboard's aggregates (risk histogram by newest score per text, customers most at risk).
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors';
import type { ScoreInput } from '../../../src/store';
import { useStore, type HarnessRef } from './harness';

export function dashboardContract(h: HarnessRef): void {
  const store = useStore(h);
  const at = (day: number) => new Date(Date.UTC(2025, 0, 1 + day)).toISOString();
  const score = (textId: string, risk: number, day: number, extra: Partial<ScoreInput> = {}): ScoreInput => ({
    textId,
    modelVersion: 'm',
    risk,
    textRisk: risk,
    tabularRisk: null,
    band: risk >= 0.8 ? 'critical' : 'low',
    drivers: { phrases: [day] },
    createdAt: at(day),
    ...extra,
  });

  describe('dashboard', () => {
    it('bins each text once by its newest score, truncating (0.49 → bin 1 of 4) and putting 1 in the last bin', async () => {
      const s = store();
      const a = await s.texts.insert({ customerId: 'c1', source: 'chat', text: 'a', hash: 'a', createdAt: at(0) });
      const b = await s.texts.insert({ customerId: 'c2', source: 'ticket', text: 'b', hash: 'b', createdAt: at(1) });
      const c = await s.texts.insert({ source: 'chat', text: 'c', hash: 'c', createdAt: at(2) });
      await s.scores.insert(score(a, 0.9, 0));
      await s.scores.insert(score(a, 0.49, 1));
      await s.scores.insert(score(b, 1, 1));
      await s.scores.insert(score(c, 0, 2));
      const all = await s.dashboard.riskDistribution({ bins: 4 });
      expect(all.bins.map((x) => x.count)).toEqual([1, 1, 0, 1]);
      expect(all.total).toBe(3);
      expect(all.bins[3]).toEqual({ from: 0.75, to: 1, count: 1 });
      expect((await s.dashboard.riskDistribution({ bins: 2, source: 'ticket' })).total).toBe(1);
      expect((await s.dashboard.riskDistribution({ bins: 2, from: at(1), before: at(2) })).total).toBe(1);
      await expect(s.dashboard.riskDistribution({ bins: 0 })).rejects.toBeInstanceOf(ValidationError);
      await expect(s.dashboard.riskDistribution({ bins: 101 })).rejects.toMatchObject({ field: 'bins' });
    });

    it("ranks customers by the newest score of their newest text, with segment and that score's drivers", async () => {
      const s = store();
      await s.customers.upsert({ id: 'c1', features: {}, segment: 'smb' });
      const old = await s.texts.insert({ customerId: 'c1', source: 'chat', text: 'o', hash: 'o', createdAt: at(0) });
      const recent = await s.texts.insert({ customerId: 'c1', source: 'chat', text: 'r', hash: 'r', createdAt: at(5) });
      const other = await s.texts.insert({ customerId: 'c2', source: 'chat', text: 'x', hash: 'x', createdAt: at(1) });
      await s.scores.insert(score(old, 0.99, 0));
      await s.scores.insert(score(recent, 0.3, 5));
      await s.scores.insert(score(other, 0.8, 1));
      const ranked = await s.dashboard.atRiskCustomers({ limit: 10 });
      expect(ranked.map((r) => [r.id, r.risk, r.segment])).toEqual([
        ['c2', 0.8, null],
        ['c1', 0.3, 'smb'],
      ]);
      expect(ranked[1]).toMatchObject({ lastTextAt: at(5), drivers: { phrases: [5] }, band: 'low' });
      expect(await s.dashboard.atRiskCustomers({ limit: 1 })).toHaveLength(1);
    });
  });
}
