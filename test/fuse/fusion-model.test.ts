import { describe, expect, it } from 'vitest';
import { ModelLoadError, ValidationError } from '../../src/errors';
import { parseFeatureSchema } from '../../src/fuse';
import { FusionModel } from '../../src/fuse/fusion-model';
import type { TextAggregates } from '../../src/fuse/text-aggregates';
import { rocAuc } from '../../src/metrics';
import { rng } from '../../src/sampling';

const schema = parseFeatureSchema({
  id: 'customer_id',
  label: 'churn',
  features: [
    { name: 'service_calls', type: 'numeric', missing: 'median' },
    { name: 'intl_plan', type: 'categorical', missing: 'mode' },
  ],
});

interface Customer { features: Record<string, unknown>; text: TextAggregates | null; churn: 0 | 1 }

/** Behaviour and text each carry part of the churn signal, independently given the label; 30% never wrote. */
function customers(n: number, seed: number): Customer[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const calls = Math.floor(r() * 8);
    const plan = r() < 0.2 ? 'yes' : 'no';
    const logit = -2.5 + 0.7 * Math.max(calls - 3, 0) + (plan === 'yes' ? 1.2 : 0);
    const churn = r() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    const wrote = r() < 0.7;
    const latest = Math.min(1, Math.max(0, (churn ? 0.6 : 0.35) + (r() - 0.5) * 0.6));
    const text = wrote ? { latest, max: Math.min(1, latest + 0.1), recencyWeightedMean: latest, count: 1 + Math.floor(r() * 3) } : null;
    return { features: { customer_id: `c${i}`, service_calls: String(calls), intl_plan: plan }, text, churn: churn as 0 | 1 };
  });
}

const train = customers(2000, 5);
const model = FusionModel.train({
  rows: train.map((c) => c.features), schema, labelOf: (_row, i) => train[i].churn, textAggregates: train.map((c) => c.text), seed: 1, halfLifeDays: 14, textModel: 'fake-1',
});
const features = { service_calls: 6, intl_plan: 'yes' };
const text: TextAggregates = { latest: 0.9, max: 0.95, recencyWeightedMean: 0.8, count: 2 };

describe('FusionModel degradation', () => {
  it('uses the fused model when it has both features and texts', () => {
    const out = model.predict({ features, textAggregates: text });
    expect(out.used).toBe('fused');
    expect(out.tabularRisk).toBe(model.tabular.risk(features));
    expect(out.risk).not.toBe(out.tabularRisk);
    expect(out.contributions.map((c) => c.feature).sort()).toEqual(['intl_plan', 'service_calls', 'text_count', 'text_risk_latest', 'text_risk_max', 'text_risk_recent_mean']);
    expect(out.contributions.find((c) => c.feature === 'text_risk_latest')).toMatchObject({ value: 0.9 });
    // A calm text pulls the same customer's risk down.
    expect(model.predict({ features, textAggregates: { ...text, latest: 0.05, max: 0.1, recencyWeightedMean: 0.05 } }).risk).toBeLessThan(out.risk);
  });

  it('falls back to the tabular-only model when the customer wrote nothing', () => {
    const expected = model.tabular.predict(features);
    for (const textAggregates of [undefined, null, { latest: 0, max: 0, recencyWeightedMean: 0, count: 0 }]) {
      const out = model.predict({ features, textAggregates });
      expect(out).toEqual({ risk: expected.risk, tabularRisk: expected.risk, used: 'tabular', contributions: expected.contributions });
    }
  });

  it('scores an unknown customer by the latest text risk alone, without contributions', () => {
    expect(model.predict({ textAggregates: text })).toEqual({ risk: 0.9, tabularRisk: null, used: 'text', contributions: [] });
    expect(model.predict({ features: null, textAggregates: text }).used).toBe('text');
  });

  it('refuses empty requests, text features smuggled in as features and malformed aggregates', () => {
    expect(() => model.predict({})).toThrow(ValidationError);
    expect(() => model.predict({ features: { ...features, text_count: 3 }, textAggregates: text })).toThrow(/text_count/);
    try {
      model.predict({ features, textAggregates: { ...text, latest: 1.5 } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).field).toBe('textAggregates.latest');
    }
  });

  it('beats the tabular-only model on held-out customers when texts carry independent signal', () => {
    const held = customers(1500, 6);
    const labels = held.map((c) => c.churn);
    const fused = rocAuc(held.map((c) => model.predict({ features: c.features, textAggregates: c.text }).risk), labels);
    const tabular = rocAuc(held.map((c) => model.tabular.risk(c.features)), labels);
    expect(fused).toBeGreaterThan(tabular + 0.02);
  });

  it('refuses a schema whose feature names clash with the text aggregates', () => {
    const clash = parseFeatureSchema({ features: [{ name: 'text_count', type: 'numeric', missing: 'zero' }] });
    expect(() => FusionModel.train({ rows: [], schema: clash, labelOf: () => 0, textAggregates: [] })).toThrow(/reserved/);
  });
});

describe('FusionModel serialisation', () => {
  it('round-trips through JSON with identical predictions on every path', () => {
    const copy = FusionModel.fromJSON(JSON.parse(JSON.stringify(model)));
    expect(copy.halfLifeDays).toBe(14);
    expect(copy.textModel).toBe('fake-1');
    for (const c of customers(50, 7)) {
      expect(copy.predict({ features: c.features, textAggregates: c.text })).toEqual(model.predict({ features: c.features, textAggregates: c.text }));
      if (c.text) expect(copy.predict({ textAggregates: c.text })).toEqual(model.predict({ textAggregates: c.text }));
    }
  });

  it('refuses files that are not a fusion model, naming the field', () => {
    const json = JSON.parse(JSON.stringify(model));
    expect(() => FusionModel.fromJSON({ ...json, format: 'churnscope-tabular' })).toThrow(ModelLoadError);
    expect(() => FusionModel.fromJSON({ ...json, halfLifeDays: -1 })).toThrow(/halfLifeDays/);
    expect(() => FusionModel.fromJSON({ ...json, fused: json.tabular })).toThrow(/fused model features/);
    expect(() => FusionModel.load('/nonexistent/fusion.json')).toThrow(/file not found/);
  });
});
