import { describe, expect, it } from 'vitest';
import { bandOf, bandTargetsSchema, chooseBands } from '../../src/score/bands';

describe('chooseBands', () => {
  // Scores descending: precision at each cut is 1, 1, 1, .75, .8, .67, .57, .5, .44, .4
  const probs = [0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2];
  const labels = [1, 1, 1, 0, 1, 0, 0, 0, 0, 0];

  it('puts "high" at the lowest cut whose precision reaches 0.8', () => {
    const { thresholds, achieved } = chooseBands(probs, labels, bandTargetsSchema.parse({}));
    expect(thresholds.high).toBe(0.7);
    expect(achieved.high).toMatchObject({ precision: 0.8, reached: true });
    expect(thresholds.critical).toBe(0.85);
    expect(thresholds.medium).toBe(0.4);
  });

  it('flags a target no cut reaches and keeps the band empty on validation', () => {
    const { thresholds, achieved } = chooseBands(
      [0.9, 0.8],
      [0, 1],
      bandTargetsSchema.parse({ critical: 0.99, high: 0.9 }),
    );
    expect(achieved.critical.reached).toBe(false);
    expect(thresholds.critical).toBeGreaterThan(0.9);
  });

  it('keeps thresholds ordered', () => {
    const { thresholds } = chooseBands(
      probs,
      labels,
      bandTargetsSchema.parse({ medium: 0.7, high: 0.75, critical: 0.9 }),
    );
    expect(thresholds.medium).toBeLessThanOrEqual(thresholds.high);
    expect(thresholds.high).toBeLessThanOrEqual(thresholds.critical);
  });
});

describe('bandOf', () => {
  it('maps risks to bands at the edges', () => {
    const t = { medium: 0.3, high: 0.6, critical: 0.9 };
    expect([0.1, 0.3, 0.59, 0.6, 0.95].map((r) => bandOf(r, t))).toEqual([
      'low',
      'medium',
      'medium',
      'high',
      'critical',
    ]);
  });
});
