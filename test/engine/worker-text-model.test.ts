// The worker-thread model keeps the TextModel contract, restarts a crashed worker and rejects its in-flight work with 503s.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataType, GraphBuilder } from '../../onnx';
import { engineDefaults } from '../../src/config';
import { createEngine, WorkerTextModel } from '../../src/engine';
import { ModelLoadError, ServiceUnavailableError } from '../../src/errors';
import { silentLogger } from '../../src/logging';
import {
  BUNDLE,
  contractWindows,
  describeTextModelContract,
  MODEL_FILE,
  scaleGraph,
  TOLERANCE,
} from './text-model-contract';

const open = (workers = 1) =>
  WorkerTextModel.create({ modelPath: MODEL_FILE, providers: ['cpu'], threads: 0, workers, logger: silentLogger() });

describeTextModelContract('WorkerTextModel (1 worker)', () => open(1));
describeTextModelContract('WorkerTextModel (2 workers)', () => open(2));

async function eventually(check: () => boolean, ms = 20_000): Promise<void> {
  for (const end = performance.now() + ms; !check(); await new Promise((r) => setTimeout(r, 20))) {
    if (performance.now() > end) throw new Error('condition not met in time');
  }
}

describe('WorkerTextModel crashes', () => {
  let model: WorkerTextModel;
  let windows: Int32Array[];
  let expected: number;
  beforeAll(async () => {
    windows = await contractWindows(4);
    model = await open(1);
    expected = (await model.run([windows[0]])).probability[0];
  });
  afterAll(() => model.dispose());

  for (const how of ['exit', 'throw'] as const) {
    it(`rejects in-flight runs with ServiceUnavailableError when the worker dies (${how}), then restarts it`, async () => {
      const before = model.restarts;
      await model.simulateCrash(how);
      // Sent after the crash request, so the worker dies with these runs queued: they must fail, not hang.
      const inFlight = [model.run(windows), model.run([windows[0]])];
      for (const r of inFlight) await expect(r).rejects.toBeInstanceOf(ServiceUnavailableError);
      await eventually(() => model.restarts === before + 1);
      const again = await model.run([windows[0]]);
      expect(Math.abs(again.probability[0] - expected)).toBeLessThanOrEqual(TOLERANCE);
    });
  }

  it('answers runs sent while the worker restarts once it is back', async () => {
    const before = model.restarts;
    await model.simulateCrash('exit');
    // Counted when the worker dies, before its replacement has opened the model.
    await eventually(() => model.restarts === before + 1, 5000);
    const out = await model.run([windows[0]]);
    expect(Math.abs(out.probability[0] - expected)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('terminates a worker that stops answering (hung) after its deadline, fails its calls with 503s and restarts it', async () => {
    const watched = await WorkerTextModel.create({
      modelPath: MODEL_FILE,
      providers: ['cpu'],
      threads: 1,
      workers: 1,
      deadlineMs: 300,
      logger: silentLogger(),
    });
    try {
      await watched.simulateCrash('hang');
      const held = watched.run([windows[0]]);
      await expect(held).rejects.toBeInstanceOf(ServiceUnavailableError);
      await expect(held).rejects.toThrow(/no answer for 300 ms \(hung\)/);
      expect(watched.restarts).toBe(1);
      const again = await watched.run([windows[0]]);
      expect(Math.abs(again.probability[0] - expected)).toBeLessThanOrEqual(TOLERANCE);
    } finally {
      await watched.dispose();
    }
  });

  it('reopens a side graph on the restarted worker', async () => {
    const graph = await model.openSideGraph({ bytes: scaleGraph(2), input: 'x', output: 'y' });
    const input = Float32Array.of(0.1, 0.2, 0.3);
    const before = await graph.run(input, [1, 3]);
    const restarts = model.restarts;
    await model.simulateCrash('exit');
    await eventually(() => model.restarts === restarts + 1, 5000);
    expect(Array.from(await graph.run(input, [1, 3]))).toEqual(Array.from(before));
  });

  it('dispose terminates the workers: later runs are refused', async () => {
    const own = await open(2);
    await own.dispose();
    await expect(own.run([windows[0]])).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});

describe('WorkerTextModel.create', () => {
  it('refuses a valid ONNX file that is not a churnscope text model, naming what it found', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-foreign-'));
    const g = new GraphBuilder('foreign');
    const x = g.input('x', DataType.FLOAT, ['n']);
    g.output(g.op('Add', [x, x]), DataType.FLOAT, ['n'], 'y');
    fs.writeFileSync(path.join(dir, 'foreign.onnx'), g.encode());
    try {
      const err = await WorkerTextModel.create({
        modelPath: path.join(dir, 'foreign.onnx'),
        providers: ['cpu'],
        threads: 1,
        workers: 1,
        logger: silentLogger(),
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelLoadError);
      expect((err as Error).message).toMatch(/expected inputs \[input_ids, attention_mask\].*found inputs \[x\]/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks the model at load like the in-thread session, naming the file', async () => {
    const err = await WorkerTextModel.create({
      modelPath: '/nonexistent/model.onnx',
      providers: ['cpu'],
      threads: 1,
      workers: 1,
      logger: silentLogger(),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as Error).message).toMatch(/cannot open ONNX model \/nonexistent\/model\.onnx: cpu unavailable/);
  });
});

describe('createEngine with engine.workers', () => {
  it('opens the file precision chose in the worker, logs it with the worker count, and scores as in-thread does', async () => {
    const lines: string[] = [];
    const logger = silentLogger();
    logger.info = (obj: unknown, msg?: string) => void lines.push(String(msg ?? obj));
    const texts = ['I am cancelling, billed twice and support never answers', 'Lovely tea, fast delivery'];
    const open = (workers: number) =>
      createEngine({ bundleDir: BUNDLE, config: engineDefaults({ providers: ['cpu'], workers }), logger });
    const [inWorker, inThread] = [await open(1), await open(0)];
    try {
      const int8 = fs.existsSync(path.join(BUNDLE, 'onnx/model_quantized.onnx'));
      expect(inWorker.modelFile).toBe(int8 ? 'onnx/model_quantized.onnx' : 'onnx/model.onnx');
      expect(inThread.modelFile).toBe(inWorker.modelFile);
      const threads = Math.max(1, os.availableParallelism());
      expect(lines.join('\n')).toMatch(
        new RegExp(`text model on 1 worker thread \\(intra-op threads ${threads}, spinning off\\): onnx/`),
      );
      expect(lines.join('\n')).toMatch(/text model on the main thread/);
      const [a, b] = [await inWorker.score(texts), await inThread.score(texts)];
      a.forEach((s, i) => expect(Math.abs(s.probability - b[i].probability)).toBeLessThanOrEqual(TOLERANCE));
    } finally {
      await inWorker.dispose();
      await inThread.dispose();
    }
  });
});
