// Contract: the themes engine's store side (scored texts, revision, outcomes, centroids).
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors';
import type { Store } from '../../../src/store';
import { useStore, type HarnessRef } from './harness';

export function themesContract(h: HarnessRef): void {
  const current = useStore(h);

  const emb = (...x: number[]) => Float32Array.from(x);

  async function scored(opts: {
    id: string;
    customerId?: string;
    source?: 'review' | 'ticket';
    at: string;
    textRisk: number;
    embedding?: Float32Array;
  }) {
    await current().texts.insert({
      id: opts.id,
      customerId: opts.customerId ?? null,
      source: opts.source ?? 'review',
      text: `text ${opts.id}`,
      hash: opts.id,
      createdAt: opts.at,
    });
    return current().scores.insert({
      textId: opts.id,
      modelVersion: 'v1',
      risk: opts.textRisk,
      textRisk: opts.textRisk,
      tabularRisk: null,
      band: 'low',
      drivers: null,
      embedding: opts.embedding ?? emb(1, 0),
      createdAt: opts.at,
    });
  }

  describe('scoredTexts.list', () => {
    it('lists each text once with its newest score, oldest first, and skips texts whose newest score has no embedding', async () => {
      await scored({ id: 't2', at: '2024-02-01T00:00:00Z', textRisk: 0.2 });
      await scored({ id: 't1', at: '2024-01-01T00:00:00Z', textRisk: 0.1 });
      await current().scores.insert({
        textId: 't1',
        modelVersion: 'v2',
        risk: 0.7,
        textRisk: 0.7,
        tabularRisk: null,
        band: 'high',
        drivers: null,
        embedding: emb(0, 1),
        createdAt: '2024-03-01T00:00:00Z',
      });
      await current().texts.insert({
        id: 't3',
        source: 'review',
        text: 'no embedding',
        hash: 'h3',
        createdAt: '2024-01-15T00:00:00Z',
      });
      await current().scores.insert({
        textId: 't3',
        modelVersion: 'v1',
        risk: 0.5,
        textRisk: 0.5,
        tabularRisk: null,
        band: 'low',
        drivers: null,
        createdAt: '2024-01-15T00:00:00Z',
      });
      const rows = await current().scoredTexts.list();
      expect(rows.map((r) => [r.textId, r.textRisk])).toEqual([
        ['t1', 0.7],
        ['t2', 0.2],
      ]);
      expect(Array.from(rows[0].embedding)).toEqual([0, 1]);
      expect(rows[0]).toMatchObject({
        source: 'review',
        text: 'text t1',
        customerId: null,
        segment: null,
        createdAt: '2024-01-01T00:00:00.000Z',
      });
    });

    it('filters by time (to exclusive), source and customer segment', async () => {
      await current().customers.upsert({ id: 'c1', features: {}, segment: 'smb' });
      await current().customers.upsert({ id: 'c2', features: {}, segment: 'enterprise' });
      await scored({ id: 'a', customerId: 'c1', at: '2024-01-01T00:00:00Z', textRisk: 0.5 });
      await scored({ id: 'b', customerId: 'c2', source: 'ticket', at: '2024-01-10T00:00:00Z', textRisk: 0.5 });
      await scored({ id: 'c', at: '2024-01-20T00:00:00Z', textRisk: 0.5 });
      const ids = async (q: Parameters<Store['scoredTexts']['list']>[0]) =>
        (await current().scoredTexts.list(q)).map((r) => r.textId);
      expect(await ids({ from: '2024-01-10T00:00:00Z' })).toEqual(['b', 'c']);
      expect(await ids({ to: '2024-01-10T00:00:00Z' })).toEqual(['a']);
      expect(await ids({ source: 'ticket' })).toEqual(['b']);
      expect(await ids({ segment: 'smb' })).toEqual(['a']);
      expect((await current().scoredTexts.list({ segment: 'smb' }))[0].segment).toBe('smb');
    });

    it('refuses malformed filters naming the field', async () => {
      await expect(current().scoredTexts.list({ from: 'yesterday' })).rejects.toThrow(
        expect.objectContaining({ field: 'from' }),
      );
      await expect(current().scoredTexts.list({ source: 'email' as 'review' })).rejects.toBeInstanceOf(ValidationError);
    });
  });

  describe('scoredTexts.revision and outcomes', () => {
    it('changes when a score is written or deleted', async () => {
      const empty = await current().scoredTexts.revision();
      await scored({ id: 'a', customerId: 'c1', at: '2024-01-01T00:00:00Z', textRisk: 0.5 });
      const one = await current().scoredTexts.revision();
      expect(one).not.toEqual(empty);
      await current().customers.erase('c1');
      expect(await current().scoredTexts.revision()).not.toEqual(one);
    });

    it("keeps each customer's latest churned/retained outcome, traced through texts, overrides left out", async () => {
      await scored({ id: 'a', customerId: 'c1', at: '2024-01-01T00:00:00Z', textRisk: 0.5 });
      await current().feedback.insert({ customerId: 'c1', outcome: 'retained', at: '2024-01-02T00:00:00Z' });
      await current().feedback.insert({ textId: 'a', outcome: 'churned', at: '2024-01-03T00:00:00Z' });
      await current().feedback.insert({ customerId: 'c2', outcome: 'retained', at: '2024-01-02T00:00:00Z' });
      await current().feedback.insert({
        customerId: 'c2',
        outcome: 'override',
        overrideRisk: 0.9,
        at: '2024-01-04T00:00:00Z',
      });
      const outcomes = await current().scoredTexts.outcomes();
      expect(outcomes.sort((x, y) => x.customerId.localeCompare(y.customerId))).toEqual([
        { customerId: 'c1', churned: true },
        { customerId: 'c2', churned: false },
      ]);
    });
  });

  describe('themes', () => {
    it('inserts new themes and updates known ones, keeping when each was first seen', async () => {
      await current().themes.saveAll(
        [{ id: 'th1', centroid: emb(1, 0), label: 'a', keywords: ['x'] }],
        '2024-01-01T00:00:00Z',
      );
      await current().themes.saveAll(
        [
          { id: 'th1', centroid: emb(0.9, 0.1), label: 'a2', keywords: ['y'] },
          { id: 'th2', centroid: emb(0, 1), label: 'b', keywords: [] },
        ],
        '2024-02-01T00:00:00Z',
      );
      const all = await current().themes.list();
      expect(all.map((t) => [t.id, t.label, t.keywords, t.createdAt, t.updatedAt])).toEqual([
        ['th1', 'a2', ['y'], '2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z'],
        ['th2', 'b', [], '2024-02-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z'],
      ]);
      expect(Array.from(all[0].centroid)).toEqual([expect.closeTo(0.9), expect.closeTo(0.1)]);
    });

    it('writes nothing when one theme is malformed', async () => {
      await expect(
        current().themes.saveAll([
          { id: 'ok', centroid: emb(1), label: 'a', keywords: [] },
          { id: '', centroid: emb(1), label: 'b', keywords: [] },
        ]),
      ).rejects.toBeInstanceOf(ValidationError);
      expect(await current().themes.list()).toEqual([]);
    });
  });
}
