import { describe, expect, it } from 'vitest';
import { ModelLoadError, ValidationError } from '../../src/errors';
import { parseFeatureSchema, TabularModel } from '../../src/fuse';
import { rng } from '../../src/sampling/splits';

const schema = parseFeatureSchema({
  id: 'customer_id',
  label: 'churn',
  features: [
    { name: 'service_calls', type: 'numeric', missing: 'median' },
    { name: 'day_minutes', type: 'numeric', missing: 'missing-category' },
    { name: 'intl_plan', type: 'categorical', missing: 'mode' },
    { name: 'noise', type: 'numeric', missing: 'zero' },
  ],
});

function customers(n: number, seed: number): Record<string, unknown>[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const calls = Math.floor(r() * 8);
    const minutes = r() < 0.05 ? '' : (100 + r() * 250).toFixed(1);
    const plan = r() < 0.2 ? 'yes' : 'no';
    const logit = -3 + 0.9 * Math.max(calls - 3, 0) + (plan === 'yes' ? 1.5 : 0) + (Number(minutes) > 280 ? 2 : 0);
    return {
      customer_id: `c${i}`,
      service_calls: String(calls),
      day_minutes: minutes,
      intl_plan: plan,
      noise: r(),
      churn: r() < 1 / (1 + Math.exp(-logit)) ? 'yes' : 'no',
    };
  });
}

const rows = customers(1500, 11);
const labelOf = (row: Record<string, unknown>) => row.churn === 'yes';
const model = TabularModel.train({ rows, schema, labelOf, seed: 3 });

describe('TabularModel', () => {
  it('predicts risk with contributions sorted by magnitude that add up to the logit', () => {
    const out = model.predict({ service_calls: 6, day_minutes: '300', intl_plan: 'Yes', noise: 0.5 });
    const calm = model.predict({ service_calls: 0, day_minutes: 150, intl_plan: 'no', noise: 0.5 });
    expect(out.risk).toBeGreaterThan(4 * calm.risk);
    expect(calm.risk).toBeLessThan(0.2);
    expect(out.contributions.map((c) => c.feature).sort()).toEqual([
      'day_minutes',
      'intl_plan',
      'noise',
      'service_calls',
    ]);
    const mags = out.contributions.map((c) => Math.abs(c.contribution));
    expect(mags).toEqual([...mags].sort((a, b) => b - a));
    expect(out.contributions.find((c) => c.feature === 'intl_plan')).toMatchObject({ value: 'yes' });
    for (const f of ['service_calls', 'day_minutes'])
      expect(out.contributions.find((c) => c.feature === f)!.contribution).toBeGreaterThan(0);
    const logit = out.baseline + out.contributions.reduce((s, c) => s + c.contribution, 0);
    expect(1 / (1 + Math.exp(-logit))).toBeCloseTo(out.risk, 10);
  });

  it('fills missing inputs by the schema policies and reports them as null', () => {
    const out = model.predict({});
    expect(out.contributions.every((c) => c.value === null)).toBe(true);
    expect(model.risk({ service_calls: '' })).toBe(model.risk({ service_calls: 3 }));
  });

  it('round-trips through JSON with identical predictions and explanations', () => {
    const copy = TabularModel.fromJSON(JSON.parse(JSON.stringify(model)));
    for (const row of customers(100, 12)) expect(copy.predict(row)).toEqual(model.predict(row));
    expect(copy.nTrees).toBe(model.nTrees);
  });

  it('reports input errors naming the feature, and training errors with the row', () => {
    expect(() => model.predict({ service_calls: 'many' })).toThrow(/"service_calls" is numeric/);
    expect(() => model.predict({ minutes: 3 })).toThrow(
      /unknown feature "minutes"; valid features: service_calls, day_minutes, intl_plan, noise/,
    );
    const bad = [...rows.slice(0, 50), { ...rows[50], noise: 'x' }];
    try {
      TabularModel.train({ rows: bad, schema, labelOf, validFraction: 0 });
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).row).toBe(51);
      expect((e as ValidationError).field).toBe('noise');
    }
    expect(() =>
      TabularModel.train({ rows: rows.slice(0, 5).map((r) => ({ ...r, churn: 'no' })), schema, labelOf }),
    ).toThrow(/both classes/);
  });

  it('refuses JSON whose parts disagree', () => {
    const json = model.toJSON();
    expect(() => TabularModel.fromJSON({ ...json, stats: json.stats.slice(1) })).toThrow(ModelLoadError);
    const swapped = { ...json, schema: { ...json.schema, features: [...json.schema.features].reverse() } };
    expect(() => TabularModel.fromJSON(swapped)).toThrow(/stats\[0\]/);
    expect(() => TabularModel.fromJSON({ ...json, version: 2 })).toThrow(ModelLoadError);
  });
});
