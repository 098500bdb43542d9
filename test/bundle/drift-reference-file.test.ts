// drift-reference.json: written atomically and read back exactly; a damaged file is refused naming the file and field.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { driftReferencePath, hasDriftReference, readDriftReference, writeDriftReference } from '../../src/bundle';
import { buildDriftReference } from '../../src/drift';
import { ModelLoadError } from '../../src/errors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-reference-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const reference = buildDriftReference({
  model: 'm',
  engine: { precision: 'int8', modelFile: 'onnx/model_quantized.onnx' },
  tokenCap: 256,
  rareTokens: { definition: 'd', unkId: 0, rankCutoff: 4, vocabSize: 8 },
  texts: Array.from({ length: 30 }, (_, i) => ({
    risk: i / 30,
    tokens: i + 1,
    rareShare: (i % 3) / 3,
    embedding: Float32Array.from([1, i / 30]),
    source: 'review',
  })),
});

describe('drift reference file', () => {
  it('round-trips, and the shipped default bundle has a valid one', () => {
    expect(hasDriftReference(dir)).toBe(false);
    writeDriftReference(dir, reference);
    expect(readDriftReference(dir)).toEqual(reference);
    const shipped = readDriftReference('models/default');
    expect(shipped.texts).toBe(856);
    expect(shipped.numeric.risk.counts.reduce((a, b) => a + b, 0)).toBe(856);
  });

  it('refuses a file whose histogram is inconsistent, naming the file and the field', () => {
    const broken = structuredClone(reference);
    broken.numeric.tokens.counts.push(1);
    fs.writeFileSync(driftReferencePath(dir), JSON.stringify(broken));
    expect(() => readDriftReference(dir)).toThrow(ModelLoadError);
    expect(() => readDriftReference(dir)).toThrow(/drift-reference\.json.*numeric\.tokens/);
  });

  it('names a missing file', () => {
    expect(() => readDriftReference(path.join(dir, 'nope'))).toThrow(/file not found/);
  });
});
