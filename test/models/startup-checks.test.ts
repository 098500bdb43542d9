// A missing or corrupt model refuses start-up with a clear message; a failed hot swap to one keeps the last good model serving.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { engineDefaults } from '../../src/config';
import { ConflictError, ModelLoadError } from '../../src/errors';
import { silentLogger } from '../../src/logging';
import { ModelRegistry, openServingModel } from '../../src/models';

const DEFAULT_BUNDLE = path.resolve('models/default');
const CLI = path.resolve('bin/churnscope.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'startup-checks-'));
const engine = engineDefaults({ providers: ['cpu'], threads: 1 });
const open = (bundle: string) => openServingModel({ dir: bundle, engine, logger: silentLogger() });

/** A copy of the default bundle's small files; `model` decides what onnx/model.onnx becomes (absent: no onnx/ folder). */
function bundle(name: string, model?: (good: Buffer) => Buffer, version = name): string {
  const out = path.join(dir, name);
  fs.mkdirSync(out, { recursive: true });
  const config = JSON.parse(fs.readFileSync(path.join(DEFAULT_BUNDLE, 'config.json'), 'utf8')) as { churnscope: { version: string } };
  config.churnscope.version = version;
  fs.writeFileSync(path.join(out, 'config.json'), JSON.stringify(config));
  fs.copyFileSync(path.join(DEFAULT_BUNDLE, 'tokenizer.json'), path.join(out, 'tokenizer.json'));
  if (model) {
    fs.mkdirSync(path.join(out, 'onnx'));
    fs.writeFileSync(path.join(out, 'onnx', 'model.onnx'), model(fs.readFileSync(path.join(DEFAULT_BUNDLE, 'onnx', 'model.onnx'))));
  }
  return out;
}

let truncated: string;
let noOnnx: string;
beforeAll(() => {
  truncated = bundle('truncated', (good) => good.subarray(0, Math.floor(good.length / 3)));
  noOnnx = bundle('no-onnx');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('opening a bundle', () => {
  it('refuses a truncated model.onnx with a ModelLoadError naming the file', async () => {
    const err = await open(truncated).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as Error).message).toContain(`cannot open ONNX model ${path.join(truncated, 'onnx', 'model.onnx')}`);
  });

  it('refuses a bundle folder without onnx/, saying which file is missing', async () => {
    const err = await open(noOnnx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as Error).message).toBe(`model bundle ${noOnnx} is incomplete: missing ${path.join(noOnnx, 'onnx', 'model.onnx')}`);
  });

  it('refuses a folder that is not a bundle at all, naming its config.json', async () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    await expect(open(empty)).rejects.toThrow(`cannot read model bundle config ${path.join(empty, 'config.json')}: file not found`);
  });
});

describe('hot swap to a corrupt bundle', () => {
  it('fails with a ConflictError and the last good model keeps serving', async () => {
    const initial = await open(DEFAULT_BUNDLE);
    const registry = new ModelRegistry({
      initial,
      open,
      known: () => [{ version: 'truncated', dir: truncated }],
      logger: silentLogger(),
    });
    try {
      const err = await registry.activate('truncated').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as Error).message).toMatch(new RegExp(`"truncated" could not be opened, "${initial.version}" keeps serving: cannot open ONNX model`));
      expect(registry.active()).toBe(initial);
      const [score] = await registry.active().engine.score(['I am cancelling, support never answers']);
      expect(score.probability).toBeGreaterThan(0);
      expect(score.probability).toBeLessThan(1);
    } finally {
      await registry.dispose();
    }
  });
});

describe('churnscope serve with a broken model', () => {
  it('exits non-zero before listening, with the reason on stderr and no stack trace', async () => {
    const result = await promisify(execFile)(process.execPath, [CLI, 'serve', '--model', truncated, '--db', path.join(dir, 'serve.db'), '--port', '0'], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
      timeout: 60_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`churnscope: cannot open ONNX model ${path.join(truncated, 'onnx', 'model.onnx')}`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('openServingModel reads config.json once', () => {
  it('passes what it read to the engine instead of parsing the file again', async () => {
    const configFile = path.join(DEFAULT_BUNDLE, 'config.json');
    const reads: string[] = [];
    const real = fs.readFileSync;
    const spy = vi.spyOn(fs, 'readFileSync').mockImplementation(((p: fs.PathOrFileDescriptor, o?: unknown) => {
      if (typeof p === 'string' && path.resolve(p) === configFile) reads.push(p);
      return (real as (p: fs.PathOrFileDescriptor, o?: unknown) => string | Buffer)(p, o);
    }) as typeof fs.readFileSync);
    try {
      const model = await open(DEFAULT_BUNDLE);
      await model.engine.dispose();
    } finally {
      spy.mockRestore();
    }
    expect(reads).toHaveLength(1);
  });
});
