// --precision on the CLI: a bad value or int8 without its file exits 2 with one line; auto on CPU scores with the int8 file.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyBundle } from '../helpers/tiny-bundle';

const CLI = path.resolve('bin/churnscope.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'precision-cli-'));
let both: string;
let fp32Only: string;
let input: string;
beforeAll(async () => {
  both = await writeTinyBundle(path.join(dir, 'both'), { quantizedBias: 4 });
  fp32Only = await writeTinyBundle(path.join(dir, 'fp32-only'));
  input = path.join(dir, 'in.csv');
  fs.writeFileSync(input, 'text\nlovely product\nI will cancel and never come back\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return promisify(execFile)(process.execPath, [CLI, ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', CHURNSCOPE_PROVIDERS: 'cpu', ...env },
    timeout: 60_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

const score = (model: string, extra: string[]) => [
  'score',
  '--in',
  input,
  '--out',
  path.join(dir, `out-${Math.random().toString(36).slice(2)}.csv`),
  '--model',
  model,
  ...extra,
];

describe('churnscope --precision', () => {
  it('refuses a bad value with exit 2 and one line listing the valid values', async () => {
    const r = await cli(score(both, ['--precision', 'fp16']));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'churnscope: invalid configuration at engine.precision: must be one of auto, fp32, int8, got "fp16"\n',
    );
  });

  it('refuses int8 on a bundle without the file, naming it and the quantize command', async () => {
    const r = await cli(score(fp32Only, []), { CHURNSCOPE_PRECISION: 'int8' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(path.join(fp32Only, 'onnx', 'model_quantized.onnx'));
    expect(r.stderr).toContain(`npx churnscope quantize --model ${fp32Only}`);
  });

  it('auto on CPU scores with the int8 file and reports it', async () => {
    const r = await cli(score(both, ['--precision', 'auto']));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { precision: string; modelFile: string; scored: number };
    expect(report).toMatchObject({ precision: 'int8', modelFile: 'onnx/model_quantized.onnx', scored: 2 });
  });
});
