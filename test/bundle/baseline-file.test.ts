// baseline.json: written and read back exactly; a damaged file is refused naming the file and the field.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TfidfBaseline } from '../../src/baseline';
import { hasBaseline, readBaseline, writeBaseline } from '../../src/bundle';
import { ModelLoadError } from '../../src/errors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baseline-file-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const texts = ['awful stale taste', 'stale and awful', 'lovely fresh taste', 'fresh and lovely', 'awful', 'lovely'];
const labels = [1, 1, 0, 0, 1, 0];

describe('baseline file', () => {
  it('round-trips: the read model scores as the written one', () => {
    const m = TfidfBaseline.fit(texts, labels, { minDf: 1, maxFeatures: 100, c: 1, maxIterations: 100 });
    expect(hasBaseline(dir)).toBe(false);
    writeBaseline(dir, m);
    expect(hasBaseline(dir)).toBe(true);
    const back = readBaseline(dir).predict(['stale awful', 'fresh lovely']);
    const orig = m.predict(['stale awful', 'fresh lovely']);
    back.forEach((p, i) => expect(p).toBeCloseTo(orig[i], 5));
    expect(back[0]).toBeGreaterThan(back[1]);
  });

  it('refuses a file whose arrays disagree, naming the file', () => {
    const file = path.join(dir, 'baseline.json');
    const broken = { ...JSON.parse(fs.readFileSync(file, 'utf8')), weights: [1] };
    fs.writeFileSync(file, JSON.stringify(broken));
    expect(() => readBaseline(dir)).toThrow(ModelLoadError);
    expect(() => readBaseline(dir)).toThrow(/baseline\.json is not a baseline model: .*one entry per term/);
  });
});
