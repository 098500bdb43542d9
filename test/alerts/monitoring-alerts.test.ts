// drift_above and auc_below: which signals and model versions fire, and their once-a-day claims.
import { describe, expect, it } from 'vitest';
import { alertConditionSchema } from '../../src/alerts';
import { aucAlerts, driftAlerts } from '../../src/alerts/monitoring-alerts';
import type { EnabledRule } from '../../src/alerts/rule-delivery';
import type { DriftReport } from '../../src/drift';
import type { LabelledScore } from '../../src/store';

const action = { type: 'webhook' as const, url: 'https://hooks.example.com/x', secret: '0123456789abcdef-secret' };
const rule = (id: string, condition: unknown): EnabledRule => ({
  id,
  name: id,
  condition: alertConditionSchema.parse(condition),
  action,
});

const report = (to: string): DriftReport => ({
  model: 'v1',
  reference: { texts: 100, createdAt: '2026-01-01T00:00:00Z', engine: { precision: 'int8', modelFile: 'x' } },
  window: { from: '2026-02-01T00:00:00Z', to, count: 200 },
  source: null,
  signals: [
    { name: 'risk', psi: 0.35, threshold: 0.2, drifted: true, count: 200 },
    { name: 'tokens', psi: 0.1, threshold: 0.2, drifted: false, count: 200 },
    { name: 'source', psi: null, threshold: 0.2, drifted: false, count: 200, note: 'n/a' },
  ],
});

describe('driftAlerts', () => {
  it('fires on the signals above the rule’s PSI, or the configured threshold when the rule names none', () => {
    const fired = driftAlerts(
      [
        rule('any', { type: 'drift_above' }),
        rule('tokens-strict', { type: 'drift_above', signal: 'tokens', psi: 0.05 }),
        rule('risk-lax', { type: 'drift_above', signal: 'risk', psi: 0.5 }),
        rule('not-drift', { type: 'risk_above', threshold: 0.1 }),
      ],
      report('2026-02-08T10:00:00Z'),
    );
    expect(
      fired.map(([r, d]) => [r.id, (d.payload as { signals: { name: string }[] }).signals.map((s) => s.name)]),
    ).toEqual([
      ['any', ['risk']],
      ['tokens-strict', ['tokens']],
    ]);
  });

  it('claims per model and day: the same day repeats the claim, the next day does not', () => {
    const rules = [rule('any', { type: 'drift_above' })];
    const [[, a]] = driftAlerts(rules, report('2026-02-08T10:00:00Z'));
    const [[, b]] = driftAlerts(rules, report('2026-02-08T23:00:00Z'));
    const [[, c]] = driftAlerts(rules, report('2026-02-09T01:00:00Z'));
    expect(a.claim).toBe(b.claim);
    expect(c.claim).not.toBe(a.claim);
  });
});

describe('aucAlerts', () => {
  const pts = (modelVersion: string, inverted: boolean, n: number): LabelledScore[] =>
    Array.from({ length: n }, (_, i) => ({
      risk: i / n,
      label: i >= n / 2 !== inverted ? 1 : 0,
      modelVersion,
      source: 'review' as const,
    }));

  it('fires for each model version below the threshold with enough labels', () => {
    const points = [...pts('good', false, 60), ...pts('bad', true, 60), ...pts('few', true, 10)];
    const fired = aucAlerts(
      [rule('auc', { type: 'auc_below', threshold: 0.7 })],
      points,
      new Date('2026-02-08T00:00:00Z'),
    );
    expect(fired.map(([, d]) => (d.payload as { modelVersion: string; rocAuc: number }).modelVersion)).toEqual(['bad']);
    const only = aucAlerts(
      [rule('auc', { type: 'auc_below', threshold: 0.7, minLabels: 5, modelVersion: 'few' })],
      points,
      new Date(),
    );
    expect(only).toHaveLength(1);
  });
});
