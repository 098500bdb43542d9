import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError, ValidationError } from '../../src/errors';
import { loadFeatureSchema, parseFeatureSchema } from '../../src/fuse';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuse-schema-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

function caught(f: () => unknown): Error & { field?: string; file?: string } {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('loadFeatureSchema', () => {
  it('loads the mlc_churn schema covering every column but the label', () => {
    const schema = loadFeatureSchema('fixtures/schemas/mlc_churn.schema.json');
    const header = fs.readFileSync('fixtures/data/mlc_churn.csv', 'utf8').split('\n')[0].replaceAll('"', '').split(',');
    expect(schema.label).toBe('churn');
    expect(schema.features.map((f) => f.name)).toEqual(header.filter((c) => c !== 'churn'));
    expect(schema.features.filter((f) => f.type === 'categorical').map((f) => f.name)).toEqual([
      'state',
      'area_code',
      'international_plan',
      'voice_mail_plan',
    ]);
  });

  it('names the file when it is missing or not JSON', () => {
    const missing = caught(() => loadFeatureSchema(path.join(dir, 'nope.json')));
    expect(missing).toBeInstanceOf(DataFileError);
    expect(missing.message).toMatch(/nope\.json.*file not found/);
    const bad = caught(() => loadFeatureSchema(file('bad.json', '{"features": [')));
    expect(bad).toBeInstanceOf(DataFileError);
    expect(bad.file).toMatch(/bad\.json$/);
  });

  it('names the file and the field at fault', () => {
    const p = file(
      'type.json',
      JSON.stringify({
        features: [
          { name: 'a', type: 'numeric', missing: 'zero' },
          { name: 'b', type: 'text', missing: 'zero' },
        ],
      }),
    );
    const e = caught(() => loadFeatureSchema(p));
    expect(e).toBeInstanceOf(DataFileError);
    expect(e.file).toBe(p);
    expect(e.field).toBe('features[1].type');
    expect(e.message).toContain('features[1].type');
  });

  it('rejects policies that do not fit the type, duplicates, unknown keys and features named like the label', () => {
    const mean = caught(() =>
      parseFeatureSchema({ features: [{ name: 'plan', type: 'categorical', missing: 'mean' }] }),
    );
    expect(mean).toBeInstanceOf(ValidationError);
    expect(mean.field).toBe('features[0].missing');
    expect(mean.message).toMatch(/use one of mode, missing-category, error/);
    const dup = caught(() =>
      parseFeatureSchema({
        features: [
          { name: 'a', type: 'numeric', missing: 'zero' },
          { name: 'a', type: 'numeric', missing: 'zero' },
        ],
      }),
    );
    expect(dup.message).toMatch(/duplicate feature "a"/);
    const extra = caught(() =>
      parseFeatureSchema({ features: [{ name: 'a', type: 'numeric', missing: 'zero', unit: 'min' }] }),
    );
    expect(extra.field).toBe('features[0]');
    const label = caught(() =>
      parseFeatureSchema({ label: 'churn', features: [{ name: 'churn', type: 'numeric', missing: 'zero' }] }),
    );
    expect(label.message).toMatch(/id or label column/);
    expect(() => parseFeatureSchema({ features: [] })).toThrow(ValidationError);
  });
});
