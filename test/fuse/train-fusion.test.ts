import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError, ValidationError } from '../../src/errors';
import { DEFAULT_FUSION_METHOD, FusionModel } from '../../src/fuse/fusion-model';
import { parseChurnLabel } from '../../src/fuse/read-fusion-data';
import { trainFusion, type TrainFusionOptions } from '../../src/fuse/train-fusion';
import { silentLogger } from '../../src/logging';
import { rng } from '../../src/sampling';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churnscope-train-fusion-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = (name: string, body: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, body);
  return p;
};

const schemaFile = file(
  'schema.json',
  JSON.stringify({
    label: 'churn',
    features: [
      { name: 'calls', type: 'numeric', missing: 'median' },
      { name: 'plan', type: 'categorical', missing: 'mode' },
    ],
  }),
);

const NOW = Date.parse('2026-03-01T00:00:00Z');
const r = rng(9);
const header = 'customer_id,calls,plan,churn';
const customerLines: string[] = [];
const textLines: string[] = [];
for (let i = 0; i < 600; i++) {
  const calls = Math.floor(r() * 8);
  const plan = r() < 0.2 ? 'yes' : 'no';
  const churn = r() < 1 / (1 + Math.exp(-(-2.5 + 0.6 * Math.max(calls - 3, 0) + (plan === 'yes' ? 1 : 0))));
  customerLines.push(
    `c${i},${calls},${plan},${churn ? ['yes', 'churned', '1', 'true'][i % 4] : ['no', 'retained', '0', 'FALSE'][i % 4]}`,
  );
  // Texts carry label signal independent of behaviour; a small shared vocabulary means many repeated texts.
  for (let k = Math.floor(r() * 3); k > 0; k--) {
    const mood = r() < (churn ? 0.7 : 0.2) ? 'angry' : 'happy';
    textLines.push(
      JSON.stringify({
        customer_id: `c${i}`,
        text: `${mood} note ${Math.floor(r() * 5)}`,
        timestamp: new Date(NOW - r() * 60 * 86_400_000).toISOString(),
      }),
    );
  }
}
textLines.push(
  JSON.stringify({ customer_id: 'ghost-1', text: 'angry note 1', timestamp: new Date(NOW).toISOString() }),
);
textLines.push(
  JSON.stringify({ customer_id: 'ghost-2', text: 'happy note 2', timestamp: new Date(NOW).toISOString() }),
);
textLines.push(JSON.stringify({ customer_id: 'c1', text: '   ', timestamp: new Date(NOW).toISOString() }));
const customersFile = file('customers.csv', [header, ...customerLines].join('\n') + '\n');
const textsFile = file('texts.jsonl', textLines.join('\n') + '\n');

const scored: string[][] = [];
const fakeScore = async (texts: string[]) => {
  scored.push(texts);
  return texts.map((t) => (t.startsWith('angry') ? 0.8 : 0.15) + Number(t.slice(-1)) * 0.01);
};
const base = (over: Partial<TrainFusionOptions> = {}): TrainFusionOptions => ({
  customersFile,
  schemaFile,
  labelColumn: 'churn',
  idColumn: 'customer_id',
  textsFile,
  out: path.join(dir, 'out', 'fusion.json'),
  seed: 3,
  logger: silentLogger(),
  scoreTexts: fakeScore,
  ...over,
});

async function dataError(p: Promise<unknown>): Promise<DataFileError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(DataFileError);
  return e as DataFileError;
}

describe('trainFusion', () => {
  it('trains on a stratified split, reports held-out ROC-AUC per signal and writes a loadable fusion.json', async () => {
    const report = await trainFusion(base());
    expect(report.customers.rows).toBe(600);
    expect(report.customers.train + report.customers.heldOut).toBe(600);
    expect(Math.abs(report.customers.heldOut - 150)).toBeLessThanOrEqual(1); // 25%, rounded per class
    expect(report.texts).toMatchObject({
      skippedUnknownCustomer: 2,
      unknownCustomerExamples: ['ghost-1', 'ghost-2'],
      skippedEmpty: 1,
      uniqueScored: 10,
      halfLifeDays: 30,
    });
    expect(report.texts!.used).toBe(textLines.length - 3);
    expect(scored.at(-1)).toHaveLength(10); // each distinct text scored once
    const { heldOut, heldOutWithTexts: wrote } = report;
    for (const v of [heldOut.tabular, heldOut.fused, wrote.text, wrote.textLatest, wrote.tabular, wrote.fused])
      expect(v).toBeGreaterThan(0.55);
    expect(wrote.fused!).toBeGreaterThan(wrote.tabular!);
    expect(heldOut.fused!).toBeGreaterThan(heldOut.tabular!);

    const model = FusionModel.load(base().out);
    expect(model.method).toBe(DEFAULT_FUSION_METHOD);
    expect(model.predict({ features: { calls: 7, plan: 'yes' } }).used).toBe('tabular');
    expect(fs.readdirSync(path.dirname(base().out))).toEqual(['fusion.json']); // no temp file left behind
  });

  it('reports what each fusion method fitted, and both beat tabular-only where texts carry signal', async () => {
    const late = await trainFusion(base({ method: 'late', out: path.join(dir, 'late.json') }));
    expect(late.model.method).toBe('late');
    expect(late.model.trees.fused).toBeNull();
    expect(Object.keys(late.model.stacker!.weights)).toEqual([
      'tabular_logit',
      'text_risk_recent_mean',
      'text_risk_max',
      'text_count',
      'text_missing',
    ]);
    expect(late.model.stacker!.weights.tabular_logit).toBeGreaterThan(0);
    const trees = await trainFusion(base({ method: 'trees', out: path.join(dir, 'trees.json') }));
    expect(trees.model).toMatchObject({ method: 'trees', stacker: null });
    expect(trees.model.trees.fused).toBeGreaterThan(0);
    // The tabular model, and so the tabular-only column, does not depend on the method.
    expect(trees.heldOut.tabular).toBe(late.heldOut.tabular);
    expect(trees.model.trees.tabular).toBe(late.model.trees.tabular);
    for (const r of [late, trees]) expect(r.heldOut.fused!).toBeGreaterThan(r.heldOut.tabular!);
    expect(FusionModel.load(path.join(dir, 'trees.json')).method).toBe('trees');
  });

  it('trains without a texts file: the text columns are all missing and text-only is not defined', async () => {
    const report = await trainFusion(base({ textsFile: undefined, out: path.join(dir, 'tab-only.json') }));
    expect(report.texts).toBeNull();
    expect(report.heldOutWithTexts).toEqual({ customers: 0, text: null, textLatest: null, tabular: null, fused: null });
    expect(report.heldOut.tabular).toBeGreaterThan(0.6);
  });

  it('needs a bundle or a scorer when there are texts', async () => {
    await expect(trainFusion(base({ scoreTexts: undefined }))).rejects.toThrow(ValidationError);
  });

  it('accepts the usual churn label spellings and refuses others', () => {
    const at = { file: 'f.csv', row: 2, field: 'churn' };
    expect(['Yes', ' churned', '1', 'TRUE', 'left'].map((v) => parseChurnLabel(v, at))).toEqual([1, 1, 1, 1, 1]);
    expect(['no', 'retained', '0', 'false', 'stayed'].map((v) => parseChurnLabel(v, at))).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('trainFusion bad inputs name file, row and column', () => {
  it('a missing label column', async () => {
    const bad = file('no-label.csv', 'customer_id,calls,plan\nc1,1,no\n');
    const e = await dataError(trainFusion(base({ customersFile: bad })));
    expect(e).toMatchObject({ file: bad, field: 'churn' });
    expect(e.message).toContain(bad);
    expect(e.message).toMatch(/missing column "churn"/);
  });

  it('an unknown label value', async () => {
    const bad = file('bad-label.csv', `${header}\nc1,1,no,yes\nc2,3,no,maybe\n`);
    const e = await dataError(trainFusion(base({ customersFile: bad })));
    expect(e).toMatchObject({ file: bad, row: 3, field: 'churn' });
    expect(e.message).toMatch(/line 3: unknown label "maybe" in column "churn"/);
  });

  it('a non-numeric feature cell and a duplicate customer id', async () => {
    const cell = file('bad-cell.csv', `${header}\nc1,1,no,yes\nc2,lots,no,no\n`);
    expect(await dataError(trainFusion(base({ customersFile: cell })))).toMatchObject({
      file: cell,
      row: 3,
      field: 'calls',
    });
    const dup = file('dup.csv', `${header}\nc1,1,no,yes\nc1,2,no,no\n`);
    expect(await dataError(trainFusion(base({ customersFile: dup })))).toMatchObject({
      file: dup,
      row: 3,
      field: 'customer_id',
    });
  });

  it('a texts file without its timestamp column, or with a bad timestamp', async () => {
    const noTs = file('no-ts.jsonl', `${JSON.stringify({ customer_id: 'c1', text: 'hi' })}\n`);
    expect(await dataError(trainFusion(base({ textsFile: noTs })))).toMatchObject({ file: noTs, field: 'timestamp' });
    const badTs = file(
      'bad-ts.jsonl',
      [textLines[0], JSON.stringify({ customer_id: 'c1', text: 'hi', timestamp: '03/04/2026' })].join('\n'),
    );
    const e = await dataError(trainFusion(base({ textsFile: badTs })));
    expect(e).toMatchObject({ file: badTs, row: 2, field: 'timestamp' });
    expect(e.message).toContain(`${badTs} line 2`);
  });

  it('a text the scorer rejects is traced back to its line', async () => {
    const scoreTexts = async (texts: string[]) => {
      const k = texts.indexOf('happy note 2');
      if (k >= 0) throw new ValidationError(`texts[${k}] has no scorable content`, { field: `texts[${k}]` });
      return texts.map(() => 0.5);
    };
    const e = await dataError(trainFusion(base({ scoreTexts })));
    const line = textLines.findIndex((l) => JSON.parse(l).text === 'happy note 2') + 1;
    expect(e).toMatchObject({ file: textsFile, row: line, field: 'text' });
  });
});
