import { describe, expect, it } from 'vitest';
import { shadowQuality, type ShadowPoint } from '../../src/metrics';

const point = (label: 0 | 1, risk: number, servedTextRisk: number | null, modelVersion = 's'): ShadowPoint => ({
  label,
  risk,
  servedTextRisk,
  modelVersion,
  source: 'review',
});

describe('shadowQuality', () => {
  it('compares each shadow model with the served one on the outcomes both scored', () => {
    const points = [
      ...Array.from({ length: 10 }, (_, i) => point(1, 0.6 + i / 100, 0.4 - i / 100)),
      ...Array.from({ length: 10 }, (_, i) => point(0, 0.3 - i / 100, 0.5 + i / 100)),
      point(1, 0.9, null), // no served score: in the shadow's figures, not in the comparison
      point(1, 0.2, 0.2, 'other'),
    ];
    const [other, s] = shadowQuality(points);
    expect(s).toMatchObject({ modelVersion: 's', n: 21, rocAuc: 1 });
    expect(s.served).toMatchObject({ n: 20, rocAuc: 0 });
    expect(s.difference!.rocAuc).toBe(1);
    expect(s.difference!.interval95[0]).toBeGreaterThan(0);
    expect(other).toMatchObject({ modelVersion: 'other', n: 1, difference: null });
  });
});
