import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { aggregateTextRisks, TEXT_FEATURE_NAMES, textFeatureValues } from '../../src/fuse/text-aggregates';

const NOW = Date.parse('2026-01-31T00:00:00Z');
const daysAgo = (d: number) => new Date(NOW - d * 86_400_000);

describe('aggregateTextRisks', () => {
  it('computes latest, max, count and the half-life weighted mean', () => {
    const agg = aggregateTextRisks(
      [
        { risk: 0.2, createdAt: daysAgo(30) },
        { risk: 0.8, createdAt: daysAgo(0) },
        { risk: 0.5, createdAt: daysAgo(60) },
      ],
      { now: NOW },
    )!;
    // weights 0.5, 1, 0.25 for ages 30, 0, 60 days with the default 30-day half-life
    expect(agg.recencyWeightedMean).toBeCloseTo((0.5 * 0.2 + 1 * 0.8 + 0.25 * 0.5) / 1.75, 12);
    expect(agg).toMatchObject({ latest: 0.8, max: 0.8, count: 3 });
  });

  it('takes latest by timestamp, not input order, and honours a custom half-life', () => {
    const agg = aggregateTextRisks(
      [
        { risk: 0.9, createdAt: daysAgo(10).toISOString() },
        { risk: 0.1, createdAt: daysAgo(1).getTime() },
      ],
      { now: new Date(NOW), halfLifeDays: 9 },
    )!;
    expect(agg.latest).toBe(0.1);
    expect(agg.max).toBe(0.9);
    const w10 = 0.5 ** (10 / 9);
    const w1 = 0.5 ** (1 / 9);
    expect(agg.recencyWeightedMean).toBeCloseTo((w10 * 0.9 + w1 * 0.1) / (w10 + w1), 12);
  });

  it('keeps the later text of two with the same timestamp, and treats future texts as brand new', () => {
    const t = daysAgo(5);
    expect(
      aggregateTextRisks(
        [
          { risk: 0.3, createdAt: t },
          { risk: 0.7, createdAt: t },
        ],
        { now: NOW },
      )!.latest,
    ).toBe(0.7);
    const future = aggregateTextRisks(
      [
        { risk: 0.6, createdAt: NOW + 86_400_000 },
        { risk: 0.2, createdAt: daysAgo(30) },
      ],
      { now: NOW },
    )!;
    expect(future.recencyWeightedMean).toBeCloseTo((1 * 0.6 + 0.5 * 0.2) / 1.5, 12);
  });

  it('returns null for a customer without texts, and every feature cell is missing rather than 0', () => {
    expect(aggregateTextRisks([], { now: NOW })).toBeNull();
    const cells = textFeatureValues(null);
    expect(Object.keys(cells)).toEqual([...TEXT_FEATURE_NAMES]);
    expect(Object.values(cells).every((v) => v === null)).toBe(true);
    expect(textFeatureValues({ latest: 0.4, max: 0.9, recencyWeightedMean: 0.5, count: 2 })).toEqual({
      text_risk_latest: 0.4,
      text_risk_max: 0.9,
      text_risk_recent_mean: 0.5,
      text_count: 2,
    });
  });

  it('refuses bad risks, timestamps and half-lives, naming the field', () => {
    const bad = (fn: () => unknown, field: string) => {
      expect(fn).toThrow(ValidationError);
      try {
        fn();
      } catch (e) {
        expect((e as ValidationError).field).toBe(field);
      }
    };
    bad(() => aggregateTextRisks([{ risk: 1.2, createdAt: NOW }], { now: NOW }), 'texts[0].risk');
    bad(
      () =>
        aggregateTextRisks(
          [
            { risk: 0.2, createdAt: NOW },
            { risk: 0.2, createdAt: 'yesterday' },
          ],
          { now: NOW },
        ),
      'texts[1].createdAt',
    );
    bad(() => aggregateTextRisks([{ risk: 0.2, createdAt: NOW }], { now: 'soon' }), 'now');
    bad(() => aggregateTextRisks([], { now: NOW, halfLifeDays: 0 }), 'halfLifeDays');
  });
});
