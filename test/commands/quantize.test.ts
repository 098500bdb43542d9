// `churnscope quantize`: writes the int8 file through the gate, refuses bad bundles with exit 2, never leaves half a bundle.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILES } from '../../src/bundle';
import { QualityGateError } from '../../src/errors';
import { createLogger } from '../../src/logging';
import { quantizeBundle } from '../../training/quantize';
import { writeTinyBundle } from '../helpers/tiny-bundle';

const CLI = path.resolve('bin/churnscope.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantize-cli-'));
const VALIDATION = [
  ...['I will cancel, worst refund ever', 'never again, disappointed', 'stale and bad, not buying', 'cancel now'].map(
    (text) => ({ text, label: 1 as const }),
  ),
  ...['lovely product', 'great taste, will buy again', 'my kids love it', 'fresh and quick delivery'].map((text) => ({
    text,
    label: 0 as const,
  })),
];

async function cli(args: string[]) {
  return promisify(execFile)(process.execPath, [CLI, 'quantize', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent' },
    timeout: 120_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

/** Whatever a run leaves beside its bundle: staging folders must never survive it. */
const leftovers = () => fs.readdirSync(dir).filter((f) => f.includes('.quantize-'));

let tiny: string;
beforeAll(async () => {
  tiny = await writeTinyBundle(path.join(dir, 'tiny'), { validation: VALIDATION });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('churnscope quantize', () => {
  it('adds onnx/model_quantized.onnx in place and prints both precisions', async () => {
    const r = await cli(['--model', tiny]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { int8: { rocAuc: number }; fp32: { rocAuc: number }; texts: number };
    expect(report.texts).toBe(VALIDATION.length);
    expect(report.int8.rocAuc).toBeGreaterThan(0.9);
    expect(fs.existsSync(path.join(tiny, BUNDLE_FILES.quantizedModel))).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('refuses to rewrite an existing int8 file without --overwrite, and rewrites it with', async () => {
    const r = await cli(['--model', tiny]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/model_quantized\.onnx already exists; pass --overwrite/);
    expect((await cli(['--model', tiny, '--overwrite'])).code).toBe(0);
  });

  it('writes a new bundle with --out, and refuses an --out that exists', async () => {
    const out = path.join(dir, 'copy');
    expect((await cli(['--model', tiny, '--out', out])).code).toBe(0);
    expect(fs.existsSync(path.join(out, BUNDLE_FILES.quantizedModel))).toBe(true);
    expect(fs.existsSync(path.join(out, BUNDLE_FILES.model))).toBe(true);
    const again = await cli(['--model', tiny, '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`churnscope: --out ${out} already exists; choose a new folder\n`);
  });

  it('refuses a folder that is not a bundle, naming its config file', async () => {
    const empty = fs.mkdirSync(path.join(dir, 'empty'), { recursive: true }) ?? path.join(dir, 'empty');
    const r = await cli(['--model', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config\.json: file not found/);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('refuses a truncated ONNX file naming it, and writes nothing', async () => {
    const broken = await writeTinyBundle(path.join(dir, 'broken'), { validation: VALIDATION });
    const model = path.join(broken, BUNDLE_FILES.model);
    const bytes = fs.readFileSync(model);
    fs.writeFileSync(model, bytes.subarray(0, Math.floor(bytes.length / 3)));
    const r = await cli(['--model', broken]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(model);
    expect(fs.existsSync(path.join(broken, BUNDLE_FILES.quantizedModel))).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('refuses a bundle without its validation split, naming the file', async () => {
    const bare = await writeTinyBundle(path.join(dir, 'bare'));
    const r = await cli(['--model', bare]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(path.join(bare, BUNDLE_FILES.validationSet));
    expect(fs.existsSync(path.join(bare, BUNDLE_FILES.quantizedModel))).toBe(false);
  });

  it('refuses a --max-auc-loss outside 0..1', async () => {
    const r = await cli(['--model', tiny, '--overwrite', '--max-auc-loss', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-auc-loss must be between 0 and 1/);
  });
});

describe('quantizeBundle quality gate', () => {
  it('refuses an int8 model that loses more than allowed, with the figures, and removes its file', async () => {
    const strict = await writeTinyBundle(path.join(dir, 'strict'), { validation: VALIDATION });
    // A negative allowance demands int8 beat fp32 by a margin no model reaches: the refusal path, on real figures.
    const run = quantizeBundle({
      source: strict,
      target: strict,
      maxRocAucLoss: -0.5,
      logger: createLogger({ level: 'silent' }),
    });
    await expect(run).rejects.toBeInstanceOf(QualityGateError);
    await expect(run).rejects.toThrow(
      /int8 model refused: validation ROC-AUC [\d.]+ vs fp32 [\d.]+ \(loss -?[\d.]+ > allowed -0\.5\) on 8 texts/,
    );
    expect(fs.existsSync(path.join(strict, BUNDLE_FILES.quantizedModel))).toBe(false);
  });
});
