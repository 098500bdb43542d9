// engine.precision picks the file the running provider opens: int8 on CPU when the bundle has it, fp32 otherwise; explicit int8 without the file is refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineDefaults } from '../../src/config';
import { createEngine, planModelFiles } from '../../src/engine';
import { ModelLoadError } from '../../src/errors';
import { silentLogger } from '../../src/logging';
import { writeTinyBundle } from '../helpers/tiny-bundle';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'precision-'));
let both: string;
let fp32Only: string;
beforeAll(async () => {
  // The "int8" file is the same tiny model with a much higher bias, so its probabilities tell which file ran.
  both = await writeTinyBundle(path.join(dir, 'both'), { quantizedBias: 4 });
  fp32Only = await writeTinyBundle(path.join(dir, 'fp32-only'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const TEXT = 'lovely product, works fine';

async function open(bundle: string, precision: 'auto' | 'fp32' | 'int8', providers: ('cpu' | 'cuda')[] = ['cpu']) {
  const lines: string[] = [];
  const warnings: string[] = [];
  const logger = silentLogger();
  logger.info = (obj: unknown, msg?: string) => void lines.push(String(msg ?? obj));
  logger.warn = (obj: unknown, msg?: string) => void warnings.push(String(msg ?? obj));
  const engine = await createEngine({
    bundleDir: bundle,
    config: engineDefaults({ providers, precision, threads: 1 }),
    logger,
  });
  try {
    const [score] = await engine.score([TEXT]);
    return {
      precision: engine.precision,
      modelFile: engine.modelFile,
      provider: engine.provider,
      probability: score.probability,
      lines,
      warnings,
    };
  } finally {
    await engine.dispose();
  }
}

describe('planModelFiles', () => {
  it('auto: int8 for the CPU provider when the bundle has it, fp32 for CUDA', () => {
    const plan = planModelFiles(both, 'auto');
    expect(plan.cpu).toMatchObject({ precision: 'int8', file: 'onnx/model_quantized.onnx' });
    expect(plan.cuda).toMatchObject({ precision: 'fp32', file: 'onnx/model.onnx' });
  });

  it('auto on a bundle without the int8 file: fp32 everywhere', () => {
    const plan = planModelFiles(fp32Only, 'auto');
    expect([plan.cpu.precision, plan.cuda.precision]).toEqual(['fp32', 'fp32']);
  });

  it('explicit int8 on a bundle without the file names the file and the command that makes it', () => {
    let err: unknown;
    try {
      planModelFiles(fp32Only, 'int8');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as Error).message).toContain(path.join(fp32Only, 'onnx', 'model_quantized.onnx'));
    expect((err as Error).message).toContain(`npx churnscope quantize --model ${fp32Only}`);
  });
});

describe('createEngine with engine.precision', () => {
  it('auto on CPU opens model_quantized.onnx, says so in the log, and scores with it', async () => {
    const auto = await open(both, 'auto');
    const fp32 = await open(both, 'fp32');
    expect(auto).toMatchObject({ precision: 'int8', modelFile: 'onnx/model_quantized.onnx', provider: 'cpu' });
    expect(fp32).toMatchObject({ precision: 'fp32', modelFile: 'onnx/model.onnx', provider: 'cpu' });
    // Bias 4 instead of -1: the int8 stand-in's probability is far higher, so the file really differs.
    expect(auto.probability).toBeGreaterThan(fp32.probability + 0.3);
    expect(auto.lines.join('\n')).toMatch(
      /model precision int8 \(auto: .*\): opened onnx\/model_quantized\.onnx on cpu/,
    );
  });

  it('explicit int8 runs the int8 file; auto without one runs fp32', async () => {
    expect(await open(both, 'int8')).toMatchObject({ precision: 'int8', modelFile: 'onnx/model_quantized.onnx' });
    expect(await open(fp32Only, 'auto')).toMatchObject({ precision: 'fp32', modelFile: 'onnx/model.onnx' });
  });

  it('explicit int8 without the file refuses before loading anything', async () => {
    await expect(open(fp32Only, 'int8')).rejects.toThrow(
      /precision int8 needs .*model_quantized\.onnx.*churnscope quantize/,
    );
  });

  it('decides from the provider that actually runs: fp32 on CUDA, int8 after a CPU fallback (logged as info)', async () => {
    const r = await open(both, 'auto', ['cuda', 'cpu']);
    if (r.provider === 'cuda') expect(r.precision).toBe('fp32');
    else {
      expect(r).toMatchObject({ provider: 'cpu', precision: 'int8', modelFile: 'onnx/model_quantized.onnx' });
      expect(r.lines.join('\n')).toMatch(/fell back to cpu: cuda unavailable/);
      expect(r.warnings.join('\n')).not.toMatch(/fell back/);
    }
  });
});
