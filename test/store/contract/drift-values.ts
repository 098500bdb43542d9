// Contract: per-score drift values are stored and read back, newest score per text, filtered by model, window and source.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors';
import { useStore, type HarnessRef } from './harness';

export function driftValuesContract(h: HarnessRef): void {
  const current = useStore(h);

  async function scored(opts: {
    id: string;
    at: string;
    source?: 'review' | 'ticket';
    model?: string;
    textRisk: number;
    tokens?: number | null;
    rareShare?: number | null;
    centroidDistance?: number | null;
  }) {
    if (!(await current().texts.get(opts.id))) {
      await current().texts.insert({
        id: opts.id,
        source: opts.source ?? 'review',
        text: `text ${opts.id}`,
        hash: opts.id,
        createdAt: opts.at,
      });
    }
    await current().scores.insert({
      textId: opts.id,
      modelVersion: opts.model ?? 'v1',
      risk: opts.textRisk,
      textRisk: opts.textRisk,
      tabularRisk: null,
      band: 'low',
      drivers: null,
      tokens: opts.tokens,
      rareShare: opts.rareShare,
      centroidDistance: opts.centroidDistance,
      createdAt: opts.at,
    });
  }

  describe('scoredTexts.driftValues', () => {
    it('returns the recorded values of each text’s newest score from the model asked for, oldest text first', async () => {
      await scored({
        id: 'b',
        at: '2024-01-02T00:00:00Z',
        textRisk: 0.2,
        tokens: 12,
        rareShare: 0.25,
        centroidDistance: 0.4,
      });
      await scored({
        id: 'a',
        at: '2024-01-01T00:00:00Z',
        textRisk: 0.1,
        tokens: 7,
        rareShare: 0,
        centroidDistance: 1.5,
      });
      // Re-scored by v2: its newest score is no longer v1's.
      await scored({ id: 'c', at: '2024-01-03T00:00:00Z', textRisk: 0.3, tokens: 5 });
      await scored({ id: 'c', at: '2024-01-04T00:00:00Z', model: 'v2', textRisk: 0.9, tokens: 5 });
      // Scored without drift values (an older row): nulls, not zeros.
      await scored({ id: 'd', at: '2024-01-05T00:00:00Z', textRisk: 0.5, source: 'ticket' });
      const rows = await current().scoredTexts.driftValues({ modelVersion: 'v1' });
      expect(rows).toEqual([
        { source: 'review', textRisk: 0.1, tokens: 7, rareShare: 0, centroidDistance: 1.5 },
        { source: 'review', textRisk: 0.2, tokens: 12, rareShare: 0.25, centroidDistance: 0.4 },
        { source: 'ticket', textRisk: 0.5, tokens: null, rareShare: null, centroidDistance: null },
      ]);
      expect(await current().scoredTexts.driftValues({ modelVersion: 'v2' })).toEqual([
        { source: 'review', textRisk: 0.9, tokens: 5, rareShare: null, centroidDistance: null },
      ]);
    });

    it('filters by the texts’ time window (to exclusive) and source', async () => {
      await scored({ id: 'a', at: '2024-01-01T00:00:00Z', textRisk: 0.1 });
      await scored({ id: 'b', at: '2024-01-02T00:00:00Z', textRisk: 0.2, source: 'ticket' });
      await scored({ id: 'c', at: '2024-01-03T00:00:00Z', textRisk: 0.3 });
      const window = await current().scoredTexts.driftValues({
        modelVersion: 'v1',
        from: '2024-01-02T00:00:00Z',
        to: '2024-01-03T00:00:00Z',
      });
      expect(window.map((r) => r.textRisk)).toEqual([0.2]);
      const reviews = await current().scoredTexts.driftValues({ modelVersion: 'v1', source: 'review' });
      expect(reviews.map((r) => r.textRisk)).toEqual([0.1, 0.3]);
    });

    it('refuses drift values out of range and a query without a model, naming the field', async () => {
      await current().texts.insert({ id: 'x', source: 'review', text: 'x', hash: 'x' });
      const base = {
        textId: 'x',
        modelVersion: 'v1',
        risk: 0.1,
        textRisk: 0.1,
        tabularRisk: null,
        band: 'low' as const,
        drivers: null,
      };
      await expect(current().scores.insert({ ...base, rareShare: 1.5 })).rejects.toMatchObject({ field: 'rareShare' });
      await expect(current().scores.insert({ ...base, tokens: -1 })).rejects.toMatchObject({ field: 'tokens' });
      await expect(current().scores.insert({ ...base, centroidDistance: 3 })).rejects.toBeInstanceOf(ValidationError);
      await expect(current().scoredTexts.driftValues({ modelVersion: '' })).rejects.toMatchObject({
        field: 'modelVersion',
      });
    });
  });
}
