// customerRisk: the history it reads is all the fusion model's aggregates need, and only the newest entry without one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customerRisk, type FusionModel } from '../../src/fuse';
import { silentLogger } from '../../src/logging';
import { SqliteStore } from '../../src/store';

describe('customerRisk', () => {
  let store: SqliteStore;
  beforeEach(async () => {
    store = await SqliteStore.create({ path: ':memory:', logger: silentLogger() });
    for (const [i, risk] of [0.2, 0.9, 0.4].entries()) {
      const createdAt = new Date(Date.UTC(2026, 0, 1 + i));
      const textId = await store.texts.insert({
        customerId: 'c1',
        source: 'ticket',
        text: `t${i}`,
        hash: `h${i}`,
        createdAt,
      });
      await store.scores.insert({
        textId,
        modelVersion: 'v1',
        risk,
        textRisk: risk,
        tabularRisk: null,
        band: 'low',
        drivers: {},
        createdAt,
      });
    }
  });
  afterEach(async () => store.dispose());

  const now = new Date(Date.UTC(2026, 0, 10));

  it('without a fusion model reads only the newest scored text: the previous risk', async () => {
    const r = await customerRisk({ store }, { customerId: 'c1', textRisk: 0.5, now });
    expect(r.history.map((h) => h.risk)).toEqual([0.4]);
    expect(r.fused).toEqual({ risk: 0.5, tabularRisk: null, used: 'text', contributions: [] });
  });

  it('with a fusion model aggregates every earlier text with the new one', async () => {
    const seen: unknown[] = [];
    const fusion = {
      halfLifeDays: 30,
      predict: (input: { textAggregates: unknown }) => {
        seen.push(input.textAggregates);
        return { risk: 0.7, tabularRisk: null, used: 'fused', contributions: [] };
      },
    } as unknown as FusionModel;
    const r = await customerRisk({ store, fusion }, { customerId: 'c1', textRisk: 0.5, now });
    expect(r.history.map((h) => h.risk)).toEqual([0.4, 0.9, 0.2]);
    expect(seen).toEqual([expect.objectContaining({ count: 4, max: 0.9, latest: 0.5 })]);
    expect(r.fused.risk).toBe(0.7);
  });
});
