import { describe, expect, it } from 'vitest';
import { loadFeatureSchema, TabularModel } from '../../src/fuse';
import { readRecords } from '../../src/ingest/read-records';
import { rocAuc } from '../../src/metrics';
import { stratifiedSplit } from '../../src/sampling/splits';

// Reference on this file (fixtures/data/README.md): histogram GBDT 0.928, logistic regression 0.798 on a 75/25 split.
describe('tabular model on the real mlc_churn data', () => {
  it('reaches ROC-AUC >= 0.90 on a held-out stratified 25%', async () => {
    const rows: Record<string, unknown>[] = [];
    for await (const record of readRecords('fixtures/data/mlc_churn.csv')) rows.push(record.values);
    const schema = loadFeatureSchema('fixtures/schemas/mlc_churn.schema.json');
    const labels = rows.map((r) => (r.churn === 'yes' ? 1 : 0));
    const split = stratifiedSplit(labels, 0.25, 0);

    const started = performance.now();
    const model = TabularModel.train({
      rows: split.train.map((i) => rows[i]),
      schema,
      labelOf: (r) => r.churn === 'yes',
      seed: 0,
    });
    const trainMs = performance.now() - started;
    const scores = split.valid.map((i) => model.risk(rows[i]));
    const auc = rocAuc(
      scores,
      split.valid.map((i) => labels[i]),
    );

    const t0 = performance.now();
    for (const i of split.valid) model.predict(rows[i]);
    const predictUs = ((performance.now() - t0) * 1000) / split.valid.length;
    const json = JSON.stringify(model);
    const report = {
      rows: rows.length,
      heldOut: split.valid.length,
      rocAuc: Number(auc.toFixed(4)),
      trees: model.nTrees,
      trainMs: Math.round(trainMs),
      predictWithContributionsUs: Number(predictUs.toFixed(1)),
      jsonKiB: Math.round(json.length / 1024),
    };
    process.stdout.write(`mlc_churn tabular: ${JSON.stringify(report)}\n`);

    expect(auc).toBeGreaterThanOrEqual(0.9);
    expect(rows).toHaveLength(5000);
    expect(TabularModel.fromJSON(JSON.parse(json)).risk(rows[split.valid[0]])).toBe(scores[0]);
  });
});
