// Contract: texts and scores (round trips, validation, history and snippets, text-risk aggregates).
import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../../src/errors';
import type { ScoreInput } from '../../../src/store';
import { useStore, type HarnessRef } from './harness';

export function scoresContract(h: HarnessRef): void {
  const current = useStore(h);
  const day = 86_400_000;
  const t0 = Date.parse('2025-03-01T00:00:00.000Z');
  const at = (days: number) => new Date(t0 + days * day).toISOString();

  function score(textId: string, risk: number, extra: Partial<ScoreInput> = {}): ScoreInput {
    return {
      textId,
      modelVersion: 'm1',
      risk,
      textRisk: risk,
      tabularRisk: null,
      band: 'medium',
      drivers: [],
      ...extra,
    };
  }

  describe('scores', () => {
    it('round-trips every field, drivers as JSON and the embedding as a BLOB', async () => {
      const textId = await current().texts.insert({ customerId: 'c', source: 'ticket', text: 'cancel', hash: 'h' });
      const embedding = new Float32Array([0.25, -1.5, 3e-8]);
      const drivers = { tokens: [{ token: 'cancel', weight: 0.4 }], tabular: null };
      await current().scores.insert(
        score(textId, 0.8, { textRisk: 0.7, tabularRisk: 0.9, band: 'high', drivers, embedding, createdAt: at(1) }),
      );
      const latest = await current().scores.latestForCustomer('c');
      expect(latest).toMatchObject({
        textId,
        modelVersion: 'm1',
        risk: 0.8,
        textRisk: 0.7,
        tabularRisk: 0.9,
        band: 'high',
        drivers,
        createdAt: at(1),
      });
      expect(Array.from(latest!.embedding!)).toEqual(Array.from(embedding));
      expect(await current().scores.latestForCustomer('nobody')).toBeNull();
    });

    it('refuses out-of-range risks, unknown bands and unknown texts', async () => {
      const textId = await current().texts.insert({ source: 'chat', text: 'x', hash: 'h' });
      await expect(current().scores.insert(score(textId, 1.2))).rejects.toMatchObject({ field: 'risk' });
      await expect(current().scores.insert(score(textId, 0.5, { band: 'severe' as 'high' }))).rejects.toMatchObject({
        field: 'band',
      });
      await expect(current().scores.insert(score(textId, 0.5, { tabularRisk: Number.NaN }))).rejects.toMatchObject({
        field: 'tabularRisk',
      });
      await expect(current().scores.insert(score('no-such-text', 0.5))).rejects.toBeInstanceOf(NotFoundError);
    });

    it('lists history newest text first, once per score, with snippets', async () => {
      const older = await current().texts.insert({
        customerId: 'c',
        source: 'review',
        text: 'short',
        hash: 'a',
        createdAt: at(0),
      });
      const newer = await current().texts.insert({
        customerId: 'c',
        source: 'ticket',
        text: 'x'.repeat(300),
        hash: 'b',
        createdAt: at(5),
      });
      const hidden = await current().texts.insert({
        customerId: 'c',
        source: 'chat',
        text: null,
        hash: 'c',
        createdAt: at(2),
      });
      await current().texts.insert({
        customerId: 'other',
        source: 'chat',
        text: 'not mine',
        hash: 'd',
        createdAt: at(9),
      });
      await current().scores.insert(score(older, 0.2, { createdAt: at(0) }));
      await current().scores.insert(score(newer, 0.6, { createdAt: at(5) }));
      await current().scores.insert(score(newer, 0.7, { modelVersion: 'm2', createdAt: at(6) }));
      await current().scores.insert(score(hidden, 0.4, { createdAt: at(2) }));
      const history = await current().scores.history('c', { limit: 10 });
      expect(history.map((h) => [h.textId, h.modelVersion, h.risk])).toEqual([
        [newer, 'm2', 0.7],
        [newer, 'm1', 0.6],
        [hidden, 'm1', 0.4],
        [older, 'm1', 0.2],
      ]);
      expect(history[0]).toMatchObject({ source: 'ticket', createdAt: at(5), scoredAt: at(6), band: 'medium' });
      expect(history[0].snippet).toBe(`${'x'.repeat(120)}…`);
      expect(history[2].snippet).toBeNull();
      expect(history[3].snippet).toBe('short');
      expect(await current().scores.history('c', { limit: 2 })).toHaveLength(2);
      expect((await current().scores.latestForCustomer('c'))?.modelVersion).toBe('m2');
    });
  });

  describe('textRiskAggregates', () => {
    it('summarises the newest score of each text with weights halving every half-life', async () => {
      const halfLifeDays = 10;
      const now = new Date(at(30));
      // Texts 0, 10 and 30 days old; the 10-day-old one was re-scored, and only its newer score counts.
      const a = await current().texts.insert({
        customerId: 'c',
        source: 'chat',
        text: 'a',
        hash: 'a',
        createdAt: at(0),
      });
      const b = await current().texts.insert({
        customerId: 'c',
        source: 'chat',
        text: 'b',
        hash: 'b',
        createdAt: at(20),
      });
      const c = await current().texts.insert({
        customerId: 'c',
        source: 'chat',
        text: 'c',
        hash: 'c',
        createdAt: at(30),
      });
      await current().scores.insert(score(a, 0.9, { textRisk: 0.8 }));
      await current().scores.insert(score(b, 0.1, { textRisk: 0.9, createdAt: at(20) }));
      await current().scores.insert(score(b, 0.1, { textRisk: 0.4, createdAt: at(21) }));
      await current().scores.insert(score(c, 0.3, { textRisk: 0.2 }));
      const agg = await current().scores.textRiskAggregates('c', { now, halfLifeDays });
      const w = [0.5 ** 3, 0.5 ** 1, 1];
      const expected = (w[0] * 0.8 + w[1] * 0.4 + w[2] * 0.2) / (w[0] + w[1] + w[2]);
      expect(agg).not.toBeNull();
      expect(agg!.latest).toBe(0.2);
      expect(agg!.max).toBe(0.8);
      expect(agg!.count).toBe(3);
      expect(agg!.recencyWeightedMean).toBeCloseTo(expected, 12);
    });

    it('is null for a customer without scored texts, and refuses a non-positive half-life', async () => {
      await current().texts.insert({ customerId: 'c', source: 'chat', text: 'unscored', hash: 'h' });
      expect(await current().scores.textRiskAggregates('c', { now: new Date(), halfLifeDays: 30 })).toBeNull();
      await expect(
        current().scores.textRiskAggregates('c', { now: new Date(), halfLifeDays: 0 }),
      ).rejects.toBeInstanceOf(ValidationError);
    });
  });
}
