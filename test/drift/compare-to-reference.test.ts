// Building a reference from per-text values and comparing live values with it.
import { describe, expect, it } from 'vitest';
import { buildDriftReference, compareToReference, type LiveDriftValues } from '../../src/drift';
import { driftReferenceSchema } from '../../src/bundle';

const thresholds = { risk: 0.2, tokens: 0.2, rare_share: 0.2, centroid_distance: 0.2, source: 0.2 };
const axis = (i: number) => Float32Array.from([Math.cos(i), Math.sin(i)]);

function reference(opts: { sources?: boolean } = {}) {
  return buildDriftReference({
    model: 'm1',
    engine: { precision: 'fp32', modelFile: 'onnx/model.onnx' },
    tokenCap: 50,
    rareTokens: { definition: 'test', unkId: 0, rankCutoff: 10, vocabSize: 20 },
    texts: Array.from({ length: 100 }, (_, i) => ({
      risk: i / 100,
      tokens: 10 + i,
      rareShare: (i % 10) / 20,
      embedding: axis((i % 5) * 0.1),
      source: opts.sources === false && i === 3 ? undefined : i % 4 === 0 ? 'ticket' : 'review',
    })),
    createdAt: new Date('2026-01-01T00:00:00Z'),
  });
}

describe('buildDriftReference', () => {
  it('bins each signal at its deciles, caps tokens, and records the source mix', () => {
    const r = reference();
    expect(driftReferenceSchema.parse(r)).toEqual(r);
    expect(r.numeric.risk.edges).toHaveLength(9);
    expect(r.numeric.risk.counts).toEqual(new Array(10).fill(10));
    // 10 + i capped at 50: the top 60 values are all 50, so the upper deciles merge into one bin.
    expect(Math.max(...r.numeric.tokens.sample)).toBe(50);
    expect(r.numeric.tokens.counts.reduce((a, b) => a + b, 0)).toBe(100);
    expect(r.source).toEqual({
      recorded: true,
      categories: ['feedback', 'review', 'chat', 'ticket'],
      counts: [0, 75, 0, 25],
    });
    expect(Math.hypot(...r.centroid)).toBeCloseTo(1, 6);
  });

  it('records that sources are missing instead of inventing a mix', () => {
    expect(reference({ sources: false }).source).toMatchObject({ recorded: false });
  });
});

describe('compareToReference', () => {
  const live = (n: number, f: (i: number) => Partial<LiveDriftValues>): LiveDriftValues[] =>
    Array.from({ length: n }, (_, i) => ({
      risk: i / n,
      tokens: 10 + Math.floor((i * 100) / n),
      rareShare: (i % 10) / 20,
      centroidDistance: null,
      source: i % 4 === 0 ? 'ticket' : 'review',
      ...f(i),
    }));

  it('finds nothing on values laid out like the reference', () => {
    const signals = compareToReference(
      reference(),
      live(200, () => ({})),
      { thresholds },
    );
    for (const s of signals.filter((x) => x.name !== 'centroid_distance')) {
      expect(s.drifted).toBe(false);
      expect(s.psi).toBeLessThan(0.05);
    }
    // Values never recorded are left out of the count, not taken as zeros.
    expect(signals.find((s) => s.name === 'centroid_distance')).toMatchObject({ psi: null, count: 0, drifted: false });
  });

  it('flags a shifted risk and source mix with the PSI, KS and threshold that decided', () => {
    const signals = compareToReference(
      reference(),
      live(200, (i) => ({ risk: 0.8 + (i % 20) / 100, source: 'chat' })),
      {
        thresholds,
      },
    );
    const risk = signals.find((s) => s.name === 'risk')!;
    expect(risk.drifted).toBe(true);
    expect(risk.psi).toBeGreaterThan(1);
    expect(risk.ks!.statistic).toBeCloseTo(0.8, 1);
    const source = signals.find((s) => s.name === 'source')!;
    expect(source).toMatchObject({ drifted: true, threshold: 0.2 });
    expect(signals.find((s) => s.name === 'rare_share')!.drifted).toBe(false);
  });
});
