import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OnnxSession } from '../../src/engine/onnx-session';
import { ModelLoadError } from '../../src/errors';
import { silentLogger } from '../../src/logging';
import { DataType, GraphBuilder } from '../../onnx';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ort-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A valid ONNX file that is not a churnscope text model: one float input doubled. */
function foreignModel(): string {
  const g = new GraphBuilder('foreign');
  const x = g.input('x', DataType.FLOAT, ['n']);
  g.output(g.op('Add', [x, x]), DataType.FLOAT, ['n'], 'y');
  const file = path.join(dir, 'foreign.onnx');
  fs.writeFileSync(file, g.encode());
  return file;
}

describe('OnnxSession.create', () => {
  it('refuses a model without the expected inputs and outputs, naming what it found', async () => {
    const err = await OnnxSession.create({
      modelPath: foreignModel(),
      providers: ['cpu'],
      threads: 0,
      logger: silentLogger(),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as Error).message).toMatch(
      /expected inputs \[input_ids, attention_mask\].*found inputs \[x\] and outputs \[y\]/,
    );
  });

  it('refuses a corrupt file with a clear message', async () => {
    const file = path.join(dir, 'corrupt.onnx');
    fs.writeFileSync(file, 'not a protobuf');
    await expect(
      OnnxSession.create({ modelPath: file, providers: ['cpu'], threads: 0, logger: silentLogger() }),
    ).rejects.toThrow(/cannot open ONNX model .*corrupt\.onnx: cpu unavailable/);
  });

  it('falls back from CUDA to CPU and says why in the log (info when CUDA is simply not installed)', async () => {
    const lines: string[] = [];
    const warnings: string[] = [];
    const logger = silentLogger();
    logger.info = (obj: unknown, msg?: string) => void lines.push(String(msg ?? obj));
    logger.warn = (obj: unknown, msg?: string) => void warnings.push(String(msg ?? obj));
    const err = await OnnxSession.create({
      modelPath: foreignModel(),
      providers: ['cuda', 'cpu'],
      threads: 1,
      logger,
    }).catch((e: unknown) => e);
    // The foreign model still fails the signature check, but only after the provider choice was made and logged.
    expect(err).toBeInstanceOf(ModelLoadError);
    // On a machine with ORT's CUDA provider installed there is nothing to fall back from.
    const cuda = fs.existsSync(
      path.join(
        path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json')),
        'bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so',
      ),
    );
    if (cuda) expect(lines.join('\n')).not.toMatch(/fell back/);
    else {
      expect(lines.join('\n')).toMatch(
        /fell back to cpu: cuda unavailable \(libonnxruntime_providers_cuda\.so not installed/,
      );
      expect(warnings).toEqual([]);
    }
  });
});
