// Contract: feedback validation and the outcome-to-score pairing live evaluation is computed from.
import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../../src/errors';
import { useStore, type HarnessRef } from './harness';

export function feedbackContract(h: HarnessRef): void {
  const current = useStore(h);
  const atDay = (day: number) => new Date(Date.UTC(2025, 0, 1 + day)).toISOString();

  async function scoredText(customerId: string, day: number, ...risks: number[]): Promise<string> {
    const textId = await current().texts.insert({
      customerId,
      source: 'ticket',
      text: `t${day}`,
      hash: `${customerId}${day}`,
      createdAt: atDay(day),
    });
    for (const [i, risk] of risks.entries()) {
      await current().scores.insert({
        textId,
        modelVersion: `m${i}`,
        risk,
        textRisk: risk,
        tabularRisk: null,
        band: 'low',
        drivers: null,
        createdAt: atDay(day + i),
      });
    }
    return textId;
  }

  describe('feedback', () => {
    it('needs a customer or a text, and an overrideRisk exactly for overrides', async () => {
      await expect(current().feedback.insert({ outcome: 'churned' })).rejects.toBeInstanceOf(ValidationError);
      await expect(current().feedback.insert({ customerId: 'c', outcome: 'override' })).rejects.toMatchObject({
        field: 'overrideRisk',
      });
      await expect(
        current().feedback.insert({ customerId: 'c', outcome: 'retained', overrideRisk: 0.2 }),
      ).rejects.toMatchObject({ field: 'overrideRisk' });
      await expect(
        current().feedback.insert({ customerId: 'c', outcome: 'override', overrideRisk: 2 }),
      ).rejects.toMatchObject({ field: 'overrideRisk' });
      await expect(current().feedback.insert({ customerId: 'c', outcome: 'lost' as 'churned' })).rejects.toMatchObject({
        field: 'outcome',
      });
      expect(
        await current().feedback.insert({ customerId: 'c', outcome: 'override', overrideRisk: 0.3, note: 'renewed' }),
      ).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('refuses an unknown text and a text of another customer', async () => {
      const textId = await scoredText('a', 0, 0.5);
      await expect(current().feedback.insert({ textId: 'nope', outcome: 'churned' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(current().feedback.insert({ textId, customerId: 'b', outcome: 'churned' })).rejects.toMatchObject({
        field: 'customerId',
      });
    });

    it('pairs each outcome with the newest score of its text, or of the customer newest scored text', async () => {
      // Customer a: text-level churn on its old text (scored twice: the re-score counts).
      const aOld = await scoredText('a', 0, 0.3, 0.35);
      await scoredText('a', 10, 0.9);
      await current().feedback.insert({ textId: aOld, outcome: 'churned' });
      // Customer b: customer-level retention, newest text is day 20 (its second score 0.15 counts).
      await scoredText('b', 5, 0.7);
      await scoredText('b', 20, 0.1, 0.15);
      await current().feedback.insert({ customerId: 'b', outcome: 'retained', at: atDay(30) });
      // Customer c has no score: no point. Overrides are not labels.
      await current().texts.insert({ customerId: 'c', source: 'chat', text: 'x', hash: 'x' });
      await current().feedback.insert({ customerId: 'c', outcome: 'churned' });
      await current().feedback.insert({ customerId: 'a', outcome: 'override', overrideRisk: 0.01 });

      const points = await current().feedback.labelledScores();
      expect(points).toHaveLength(2);
      expect(points).toEqual(
        expect.arrayContaining([
          { risk: 0.35, label: 1, modelVersion: 'm1', source: 'ticket' },
          { risk: 0.15, label: 0, modelVersion: 'm1', source: 'ticket' },
        ]),
      );
    });

    it('lists outcome texts: newest outcome per text, customer outcomes on the newest text, since filtering', async () => {
      const a = await scoredText('a', 0, 0.3);
      const b1 = await scoredText('b', 1, 0.2);
      const b2 = await scoredText('b', 2, 0.4);
      const hidden = await current().texts.insert({ customerId: 'h', source: 'chat', text: null, hash: 'h' });
      await current().feedback.insert({ textId: a, outcome: 'retained', at: atDay(3) });
      await current().feedback.insert({ textId: a, outcome: 'churned', at: atDay(5) });
      await current().feedback.insert({ customerId: 'b', outcome: 'retained', at: atDay(4) });
      await current().feedback.insert({ textId: hidden, outcome: 'churned', at: atDay(6) });
      await current().feedback.insert({ customerId: 'a', outcome: 'override', overrideRisk: 0.1, at: atDay(7) });
      await current().feedback.insert({ customerId: 'nobody', outcome: 'churned', at: atDay(8) });

      const all = await current().feedback.outcomeTexts();
      expect(all).toEqual([
        { textId: b2, text: 't2', source: 'ticket', label: 0, at: atDay(4) },
        { textId: a, text: 't0', source: 'ticket', label: 1, at: atDay(5) },
        { textId: hidden, text: null, source: 'chat', label: 1, at: atDay(6) },
      ]);
      expect(all.map((r) => r.textId)).not.toContain(b1);
      const recent = await current().feedback.outcomeTexts({ since: atDay(5) });
      expect(recent.map((r) => r.textId)).toEqual([a, hidden]);
      await expect(current().feedback.outcomeTexts({ since: 'yesterday' })).rejects.toMatchObject({ field: 'since' });
    });

    it('stores shadow scores apart and pairs them with outcomes per shadow model', async () => {
      const a = await scoredText('a', 0, 0.3);
      const b1 = await scoredText('b', 1, 0.2);
      const b2 = await scoredText('b', 2, 0.4);
      const shadow = (textId: string, modelVersion: string, risk: number, day: number) =>
        current().shadowScores.insert({ textId, modelVersion, risk, createdAt: atDay(day) });
      await shadow(a, 's1', 0.8, 0);
      await shadow(a, 's1', 0.85, 1); // re-scored: the newest counts
      await shadow(a, 's2', 0.6, 0);
      await shadow(b1, 's1', 0.1, 1);
      await shadow(b2, 's1', 0.05, 2); // b's newest text: what customer-level feedback pairs with
      await expect(shadow('nope', 's1', 0.5, 0)).rejects.toBeInstanceOf(NotFoundError);
      await expect(shadow(a, 's1', 1.5, 0)).rejects.toMatchObject({ field: 'risk' });
      await current().feedback.insert({ textId: a, outcome: 'churned', at: atDay(5) });
      await current().feedback.insert({ customerId: 'b', outcome: 'retained', at: atDay(6) });
      await current().feedback.insert({ customerId: 'b', outcome: 'override', overrideRisk: 0.2, at: atDay(7) });

      // Each with the served text risk of the same text (scoredText stores textRisk = risk).
      expect(await current().shadowScores.labelledScores()).toEqual([
        { risk: 0.85, label: 1, modelVersion: 's1', source: 'ticket', servedTextRisk: 0.3 },
        { risk: 0.6, label: 1, modelVersion: 's2', source: 'ticket', servedTextRisk: 0.3 },
        { risk: 0.05, label: 0, modelVersion: 's1', source: 'ticket', servedTextRisk: 0.4 },
      ]);
      // The served scores are untouched by shadow ones.
      expect((await current().feedback.labelledScores()).map((p) => p.modelVersion)).toEqual(['m0', 'm0']);
      await current().customers.erase('a');
      expect((await current().shadowScores.labelledScores()).map((p) => p.risk)).toEqual([0.05]);
    });
  });
}
