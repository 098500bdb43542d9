import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { encodeRow, fitFeatureStats, parseFeatureSchema, UNKNOWN_CODE, type FeatureSchema } from '../../src/fuse';

const schema: FeatureSchema = parseFeatureSchema({
  id: 'customer_id',
  label: 'churn',
  features: [
    { name: 'zero', type: 'numeric', missing: 'zero' },
    { name: 'mean', type: 'numeric', missing: 'mean' },
    { name: 'median', type: 'numeric', missing: 'median' },
    { name: 'nmode', type: 'numeric', missing: 'mode' },
    { name: 'nmiss', type: 'numeric', missing: 'missing-category' },
    { name: 'strict', type: 'numeric', missing: 'error' },
    { name: 'plan', type: 'categorical', missing: 'mode' },
    { name: 'state', type: 'categorical', missing: 'missing-category' },
  ],
});

const training = [
  { zero: 5, mean: 1, median: 1, nmode: 7, nmiss: 1, strict: 1, plan: 'no', state: 'KS' },
  { zero: '6', mean: '2', median: 2, nmode: 7, nmiss: 2, strict: 2, plan: 'yes', state: 'OH' },
  { zero: 7, mean: 9, median: 100, nmode: 3, nmiss: 3, strict: 3, plan: 'No', state: 'KS' },
  { zero: 8, mean: '', median: 'NA', nmode: null, nmiss: 'NaN', strict: 4, plan: '', state: undefined },
];
const stats = fitFeatureStats({ schema, rows: training });
const encode = (values: Record<string, unknown>) => Array.from(encodeRow(schema, stats, { strict: 1, ...values }));

function caught(f: () => unknown): ValidationError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a throw');
}

describe('fitFeatureStats', () => {
  it('fits fills on present values only and codes categories by frequency', () => {
    expect(stats.map((s) => s.fill)).toEqual([0, 4, 2, 7, null, null, 1, null]);
    expect(stats[6]).toMatchObject({ type: 'categorical', categories: ['no', 'yes'] });
    expect(stats[7]).toMatchObject({ categories: ['ks', 'oh'] });
  });

  it('refuses a mean over a column with no values', () => {
    const s = parseFeatureSchema({ features: [{ name: 'x', type: 'numeric', missing: 'mean' }] });
    expect(caught(() => fitFeatureStats({ schema: s, rows: [{ x: '' }, {}] })).field).toBe('x');
  });
});

describe('encodeRow', () => {
  it('encodes present values: numbers parsed, categories case-insensitive, unseen categories unknown', () => {
    expect(encode({ zero: '1.5', mean: 2, median: '-3e2', nmode: 4, nmiss: 5, plan: 'YES', state: 'OH' })).toEqual([
      1.5, 2, -300, 4, 5, 1, 2, 2,
    ]);
    expect(encode({ plan: 'no', state: 'TX' }).slice(6)).toEqual([1, UNKNOWN_CODE]);
  });

  it('applies each missing-value policy', () => {
    const x = encode({});
    expect(x.slice(0, 4)).toEqual([0, 4, 2, 7]);
    expect(x[4]).toBeNaN();
    expect(x.slice(6)).toEqual([1, UNKNOWN_CODE]);
    for (const missing of [null, '', '  ', 'N/A', Number.NaN]) expect(encode({ mean: missing })[1]).toBe(4);
    const e = caught(() => encodeRow(schema, stats, {}));
    expect(e.field).toBe('strict');
    expect(e.message).toMatch(/"strict" is missing/);
  });

  it('names unknown features and lists the valid ones; id and label are accepted', () => {
    expect(() => encode({ customer_id: 'c1', churn: 'yes' })).not.toThrow();
    const e = caught(() => encode({ total_minutes: 3, colour: 'red' }));
    expect(e.message).toMatch(
      /unknown features "total_minutes", "colour"; valid features: zero, mean, median, nmode, nmiss, strict, plan, state/,
    );
    expect(e.field).toBe('total_minutes');
  });

  it('rejects wrong types naming the feature', () => {
    expect(caught(() => encode({ median: 'abc' })).field).toBe('median');
    expect(caught(() => encode({ median: 'yes' })).message).toMatch(/"median" is numeric; got "yes"/);
    expect(caught(() => encode({ zero: true })).field).toBe('zero');
    expect(caught(() => encode({ zero: '0x10' })).field).toBe('zero');
    expect(caught(() => encode({ zero: Infinity })).field).toBe('zero');
    expect(() => encodeRow(schema, stats, null as unknown as Record<string, unknown>)).toThrow(/must be an object/);
    expect(caught(() => encode({ plan: { a: 1 } })).message).toMatch(/"plan" is categorical; got an object/);
  });
});
