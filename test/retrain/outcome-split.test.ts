import { describe, expect, it } from 'vitest';
import { InsufficientDataError } from '../../src/errors';
import { splitOutcomes } from '../../src/retrain';
import type { OutcomeText } from '../../src/store';

const rows = (labels: (0 | 1)[], text: string | null = 'words'): OutcomeText[] =>
  labels.map((label, i) => ({ textId: `t${i}`, text, source: 'review', label, at: new Date(i * 1000).toISOString() }));
const alternating = (n: number) => Array.from({ length: n }, (_, i) => (i % 2) as 0 | 1);

describe('splitOutcomes', () => {
  it('holds back the newest share and trains on the rest, in time order', () => {
    const split = splitOutcomes(rows(alternating(50)), 0.2);
    expect(split.train.map((r) => r.textId)).toEqual(rows(alternating(40)).map((r) => r.textId));
    expect(split.heldBack.map((r) => r.textId)).toEqual(Array.from({ length: 10 }, (_, i) => `t${40 + i}`));
  });

  it('refuses no outcomes, textless outcomes, too few, one class, and a held-back share without both classes', () => {
    expect(() => splitOutcomes([], 0.2)).toThrow(/no churned\/retained outcomes/);
    expect(() => splitOutcomes(rows(alternating(50), null), 0.2)).toThrow(/no texts to train on/);
    expect(() => splitOutcomes(rows(alternating(20)), 0.2)).toThrow(
      /too few outcomes with text to retrain: 20 \(10 churned, 10 retained\)/,
    );
    expect(() => splitOutcomes(rows(Array(50).fill(1)), 0.2)).toThrow(/50 churned, 0 retained/);
    const oldChurn = [...Array(40).fill(1), ...Array(20).fill(0)] as (0 | 1)[];
    expect(() => splitOutcomes(rows(oldChurn), 0.2)).toThrow(InsufficientDataError);
    expect(() => splitOutcomes(rows(oldChurn), 0.2)).toThrow(
      /held-back newest 12 outcomes have 0 churned and 12 retained/,
    );
  });
});
