// The TF.js backend selector: order, fall-back when a backend cannot train, and what it logs.
import { Writable } from 'node:stream';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors';
import { createLogger } from '../../src/logging/index';
import { BACKEND_ORDER, selectBackend } from '../../training/backend/index';
import type { BackendChoice } from '../../training/backend/index';

function capture() {
  const lines: { level: number; msg: string; backend?: string; reason?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', destination: sink }) };
}

describe('selectBackend', () => {
  it('walks the order, logs each miss at warn and the choice at info', async () => {
    const { lines, logger } = capture();
    const chosen = await selectBackend({ logger });
    const index = BACKEND_ORDER.indexOf(chosen.name);
    expect(chosen.fellBackFrom).toEqual(BACKEND_ORDER.slice(0, index));
    // wasm ships with the project; only GPU/native builds may be missing here.
    expect(index).toBeLessThanOrEqual(BACKEND_ORDER.indexOf('wasm'));
    expect(lines.filter((l) => l.level === 40).map((l) => l.backend)).toEqual(chosen.fellBackFrom);
    const info = lines.filter((l) => l.level === 30);
    expect(info).toHaveLength(1);
    expect(info[0].msg.startsWith(`TF.js backend: ${chosen.name}`)).toBe(true);
  });

  it('starts at the preferred backend', async () => {
    const { lines, logger } = capture();
    expect(await selectBackend({ logger, prefer: 'cpu' })).toEqual({ name: 'cpu', fellBackFrom: [] });
    expect(tf.getBackend()).toBe('cpu');
    expect(lines.at(-1)?.msg).toBe('TF.js backend: cpu');
    const wasm = await selectBackend({ logger, prefer: 'wasm' });
    expect(wasm).toEqual({ name: 'wasm', fellBackFrom: [] });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('falls back to cpu when a backend cannot run the probe forward and backward', async () => {
    const { lines, logger } = capture();
    // TF.js's stock gather gradient needs UnsortedSegmentSum, a kernel wasm lacks: such a model cannot train there.
    const stockGatherProbe = async () => {
      const table = tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, tf.tensor1d([0, 2, 2], 'int32'))))(table);
      const data = (await grad.data()) as Float32Array;
      tf.dispose([table, grad]);
      return data;
    };
    const chosen = await selectBackend({ logger, prefer: 'wasm', probe: stockGatherProbe });
    expect(chosen).toEqual({ name: 'cpu', fellBackFrom: ['wasm'] as BackendChoice[] });
    const warn = lines.find((l) => l.level === 40);
    expect(warn?.reason).toContain('UnsortedSegmentSum');
    expect(lines.at(-1)?.msg).toMatch(/^TF\.js backend: cpu \(wasm unavailable: .*UnsortedSegmentSum/);
  });

  it('rejects an unknown preference', async () => {
    const { logger } = capture();
    await expect(selectBackend({ logger, prefer: 'webgpu' as BackendChoice })).rejects.toBeInstanceOf(ConfigError);
  });
});
