import { describe, expect, it } from 'vitest';
import { ModelLoadError, ValidationError } from '../../src/errors';
import { parseFeatureSchema } from '../../src/fuse';
import { DEFAULT_FUSION_METHOD, FUSION_VERSION, FusionModel, type FusionMethod } from '../../src/fuse/fusion-model';
import { LateFusion, LATE_INPUTS } from '../../src/fuse/late-fusion';
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

interface Customer {
  features: Record<string, unknown>;
  text: TextAggregates | null;
  churn: 0 | 1;
}

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
    const text = wrote
      ? { latest, max: Math.min(1, latest + 0.1), recencyWeightedMean: latest, count: 1 + Math.floor(r() * 3) }
      : null;
    return {
      features: { customer_id: `c${i}`, service_calls: String(calls), intl_plan: plan },
      text,
      churn: churn,
    };
  });
}

const train = customers(2000, 5);
const trainWith = (method: FusionMethod) =>
  FusionModel.train({
    rows: train.map((c) => c.features),
    schema,
    labelOf: (_row, i) => train[i].churn,
    textAggregates: train.map((c) => c.text),
    seed: 1,
    halfLifeDays: 14,
    textModel: 'fake-1',
    method,
  });
const models: Record<FusionMethod, FusionModel> = { late: trainWith('late'), trees: trainWith('trees') };
const features = { service_calls: 6, intl_plan: 'yes' };
const text: TextAggregates = { latest: 0.9, max: 0.95, recencyWeightedMean: 0.8, count: 2 };
const logit = (p: number) => Math.log(p / (1 - p));

describe('FusionModel defaults', () => {
  it('trains the default method when none is named', () => {
    const plain = FusionModel.train({
      rows: train.map((c) => c.features),
      schema,
      labelOf: (_row, i) => train[i].churn,
      textAggregates: train.map((c) => c.text),
      seed: 1,
    });
    expect(plain.method).toBe(DEFAULT_FUSION_METHOD);
  });
});

describe.each(['late', 'trees'] as const)('FusionModel degradation (%s)', (method) => {
  const model = models[method];

  it('fuses when it has both features and texts', () => {
    const out = model.predict({ features, textAggregates: text });
    expect(model.method).toBe(method);
    expect(out.used).toBe('fused');
    expect(out.tabularRisk).toBe(model.tabular.risk(features));
    expect(out.risk).not.toBe(out.tabularRisk);
    // A calm text pulls the same customer's risk down.
    expect(
      model.predict({ features, textAggregates: { ...text, latest: 0.05, max: 0.1, recencyWeightedMean: 0.05 } }).risk,
    ).toBeLessThan(out.risk);
  });

  it('is exactly the tabular model when the customer wrote nothing', () => {
    const expected = model.tabular.predict(features);
    for (const textAggregates of [undefined, null, { latest: 0, max: 0, recencyWeightedMean: 0, count: 0 }]) {
      const out = model.predict({ features, textAggregates });
      expect(out).toEqual({
        risk: expected.risk,
        tabularRisk: expected.risk,
        used: 'tabular',
        contributions: expected.contributions,
      });
    }
  });

  it('scores an unknown customer by the latest text risk alone, without contributions', () => {
    expect(model.predict({ textAggregates: text })).toEqual({
      risk: 0.9,
      tabularRisk: null,
      used: 'text',
      contributions: [],
    });
    expect(model.predict({ features: null, textAggregates: text }).used).toBe('text');
  });

  it('beats the tabular-only model on held-out customers when texts carry independent signal', () => {
    const held = customers(1500, 6);
    const labels = held.map((c) => c.churn);
    const fused = rocAuc(
      held.map((c) => model.predict({ features: c.features, textAggregates: c.text }).risk),
      labels,
    );
    const tabular = rocAuc(
      held.map((c) => model.tabular.risk(c.features)),
      labels,
    );
    expect(fused).toBeGreaterThan(tabular + 0.02);
  });
});

describe('FusionModel late fusion', () => {
  const model = models.late;
  const stacker = (model.combiner as LateFusion).stacker;

  it('fits positive weights on the tabular log-odds and on text risk', () => {
    expect(model.combiner).toBeInstanceOf(LateFusion);
    expect(stacker.names).toEqual(LATE_INPUTS);
    expect(stacker.weightOf('tabular_logit')).toBeGreaterThan(0.5);
    expect(stacker.weightOf('text_risk_recent_mean') + stacker.weightOf('text_risk_max')).toBeGreaterThan(0.3);
  });

  it('is σ(w0 + w1·tabular logit + Σ text terms), and its contributions add up to that', () => {
    const out = model.predict({ features, textAggregates: text });
    const tab = model.tabular.predict(features);
    const w1 = stacker.weightOf('tabular_logit');
    const textTerms = [logit(0.8), logit(0.95), Math.log1p(2)];
    const z =
      stacker.intercept +
      w1 * model.tabularLogit(features) +
      textTerms.reduce((s, x, j) => s + stacker.weights[j + 1] * x, 0);
    expect(logit(out.risk)).toBeCloseTo(z, 10);
    expect(out.contributions.map((c) => c.feature).sort()).toEqual([
      'intl_plan',
      'service_calls',
      'text_count',
      'text_risk_max',
      'text_risk_recent_mean',
    ]);
    expect(out.contributions.find((c) => c.feature === 'text_risk_recent_mean')).toEqual({
      feature: 'text_risk_recent_mean',
      value: 0.8,
      contribution: stacker.weights[1] * logit(0.8),
    });
    for (const c of tab.contributions)
      expect(out.contributions.find((o) => o.feature === c.feature)!.contribution).toBeCloseTo(w1 * c.contribution, 12);
    const sum = out.contributions.reduce((s, c) => s + c.contribution, stacker.intercept + w1 * tab.baseline);
    expect(sum).toBeCloseTo(logit(out.risk), 10);
    const sizes = out.contributions.map((c) => Math.abs(c.contribution));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });
});

describe('FusionModel inputs', () => {
  it('refuses empty requests, text features smuggled in as features and malformed aggregates', () => {
    const model = models.late;
    expect(() => model.predict({})).toThrow(ValidationError);
    expect(() => model.predict({ features: { ...features, text_count: 3 }, textAggregates: text })).toThrow(
      /text_count/,
    );
    try {
      model.predict({ features, textAggregates: { ...text, latest: 1.5 } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).field).toBe('textAggregates.latest');
    }
  });

  it('refuses a schema whose feature names clash with the text aggregates, and an unknown method', () => {
    const clash = parseFeatureSchema({ features: [{ name: 'text_count', type: 'numeric', missing: 'zero' }] });
    for (const method of ['late', 'trees'] as const) {
      expect(() =>
        FusionModel.train({ rows: [], schema: clash, labelOf: () => 0, textAggregates: [], method }),
      ).toThrow(/reserved/);
    }
    expect(() =>
      FusionModel.train({ rows: [], schema, labelOf: () => 0, textAggregates: [], method: 'stack' as FusionMethod }),
    ).toThrow(/method/);
  });
});

describe('FusionModel serialisation', () => {
  const roundTrip = (m: FusionModel) => FusionModel.fromJSON(JSON.parse(JSON.stringify(m)));

  it.each(['late', 'trees'] as const)(
    'round-trips %s through version-2 JSON with identical predictions on every path',
    (method) => {
      const model = models[method];
      const json = JSON.parse(JSON.stringify(model));
      expect(json).toMatchObject({ format: 'churnscope-fusion', version: FUSION_VERSION, method });
      const copy = roundTrip(model);
      expect(copy.method).toBe(method);
      expect(copy.halfLifeDays).toBe(14);
      expect(copy.textModel).toBe('fake-1');
      for (const c of customers(50, 7)) {
        expect(copy.predict({ features: c.features, textAggregates: c.text })).toEqual(
          model.predict({ features: c.features, textAggregates: c.text }),
        );
        if (c.text) expect(copy.predict({ textAggregates: c.text })).toEqual(model.predict({ textAggregates: c.text }));
      }
    },
  );

  it('still loads a version-1 file, as fused trees', () => {
    const { method: _method, version: _version, ...rest } = JSON.parse(JSON.stringify(models.trees));
    const old = FusionModel.fromJSON({ ...rest, version: 1 });
    expect(old.method).toBe('trees');
    expect(old.predict({ features, textAggregates: text })).toEqual(
      models.trees.predict({ features, textAggregates: text }),
    );
    expect(() => FusionModel.fromJSON({ ...rest, version: 1, method: 'trees' })).toThrow(/method/);
  });

  it('refuses files that are not a fusion model, naming the field', () => {
    const late = JSON.parse(JSON.stringify(models.late));
    const trees = JSON.parse(JSON.stringify(models.trees));
    expect(() => FusionModel.fromJSON({ ...late, format: 'churnscope-tabular' })).toThrow(ModelLoadError);
    expect(() => FusionModel.fromJSON({ ...late, version: 3 })).toThrow(/version/);
    expect(() => FusionModel.fromJSON({ ...late, method: 'stack' })).toThrow(/method/);
    expect(() => FusionModel.fromJSON({ ...late, halfLifeDays: -1 })).toThrow(/halfLifeDays/);
    expect(() => FusionModel.fromJSON({ ...late, fused: trees.fused })).toThrow(/fused/);
    expect(() =>
      FusionModel.fromJSON({ ...late, late: { ...late.late, stacker: { ...late.late.stacker, weights: [1] } } }),
    ).toThrow(/late\.stacker\.weights/);
    const renamed = { ...late.late.stacker, names: ['a', 'b', 'c', 'd', 'e'] };
    expect(() => FusionModel.fromJSON({ ...late, late: { ...late.late, stacker: renamed } })).toThrow(
      /stacker inputs must be/,
    );
    expect(() => FusionModel.fromJSON({ ...trees, fused: trees.tabular })).toThrow(/fused model features/);
    expect(() => FusionModel.load('/nonexistent/fusion.json')).toThrow(/file not found/);
  });
});
