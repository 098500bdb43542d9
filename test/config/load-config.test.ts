import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config';
import { ConfigError } from '../../src/errors';

describe('loadConfig', () => {
  it('fills defaults', () => {
    const c = loadConfig({ env: {} });
    expect(c.server).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      maxQueueWaitMs: 1000,
      shutdownTimeoutMs: 10_000,
      keepAliveTimeoutMs: 65_000,
    });
    expect(c.engine.maxBatch).toBe(32);
    expect(c.engine.maxWaitMs).toBe(2);
    expect(c.engine.providers).toEqual(['cuda', 'cpu']);
    expect(c.modelDir).toMatch(/models[/\\]default$/);
  });

  it('reads shadow scoring from the environment, off by default, and refuses a rate outside 0..1', () => {
    expect(loadConfig({ env: {} }).shadow).toEqual({ sampleRate: 0 });
    const c = loadConfig({ env: { CHURNSCOPE_SHADOW_MODEL: 'v2', CHURNSCOPE_SHADOW_SAMPLE_RATE: '0.25' } });
    expect(c.shadow).toEqual({ model: 'v2', sampleRate: 0.25 });
    expect(
      loadConfig({ env: { CHURNSCOPE_SHADOW_SAMPLE_RATE: '0.25' }, flags: { shadowSampleRate: 1 } }).shadow,
    ).toEqual({
      sampleRate: 1,
    });
    expect(() => loadConfig({ env: { CHURNSCOPE_SHADOW_SAMPLE_RATE: '1.5' } })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { CHURNSCOPE_SHADOW_SAMPLE_RATE: '1.5' } })).toThrow(/shadow.sampleRate/);
  });

  it('lets flags override environment variables', () => {
    const c = loadConfig({ env: { CHURNSCOPE_PORT: '9000', CHURNSCOPE_MAX_BATCH: '8' }, flags: { port: 9100 } });
    expect(c.server.port).toBe(9100);
    expect(c.engine.maxBatch).toBe(8);
  });

  it('reads the server, jobs and limits settings from the environment', () => {
    const c = loadConfig({
      env: {
        CHURNSCOPE_MAX_QUEUE_WAIT_MS: '0',
        CHURNSCOPE_SHUTDOWN_TIMEOUT_MS: '2500',
        CHURNSCOPE_JOBS_DIR: '/srv/jobs',
        CHURNSCOPE_JOB_INPUT_DIRS: '/a:/b',
        CHURNSCOPE_MAX_UPLOAD_BYTES: '1000',
      },
    });
    expect(c.server).toMatchObject({ maxQueueWaitMs: 0, shutdownTimeoutMs: 2500 });
    expect(c.jobs).toMatchObject({ dir: '/srv/jobs', inputDirs: ['/a', '/b'], maxUploadBytes: 1000, chunkSize: 256 });
  });

  it('names the bad variable', () => {
    expect(() => loadConfig({ env: { CHURNSCOPE_PORT: 'eighty' } })).toThrow(/CHURNSCOPE_PORT must be a number/);
  });

  it('lists valid values for enums', () => {
    try {
      loadConfig({ env: { CHURNSCOPE_PROVIDERS: 'cuda,tpu' } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).field).toBe('engine.providers.1');
      expect((e as Error).message).toMatch(/cuda.*cpu/);
    }
  });

  it('reads drift monitoring settings: the default threshold, per-signal ones, window and refresh', () => {
    expect(loadConfig({ env: {} }).monitoring.drift).toEqual({
      psiThreshold: 0.2,
      thresholds: {},
      minTexts: 100,
      windowDays: 7,
      refreshSeconds: 300,
    });
    const c = loadConfig({
      env: {
        CHURNSCOPE_DRIFT_PSI: '0.25',
        CHURNSCOPE_DRIFT_THRESHOLDS: 'risk=0.1, source=0.5',
        CHURNSCOPE_DRIFT_MIN_TEXTS: '200',
        CHURNSCOPE_DRIFT_REFRESH_S: '60',
      },
    });
    expect(c.monitoring.drift).toMatchObject({
      psiThreshold: 0.25,
      thresholds: { risk: 0.1, source: 0.5 },
      minTexts: 200,
      refreshSeconds: 60,
    });
  });

  it('names an unknown drift signal and a malformed threshold list', () => {
    expect(() => loadConfig({ env: { CHURNSCOPE_DRIFT_THRESHOLDS: 'weather=0.3' } })).toThrow(
      /monitoring\.drift\.thresholds/,
    );
    expect(() => loadConfig({ env: { CHURNSCOPE_DRIFT_THRESHOLDS: 'risk' } })).toThrow(/CHURNSCOPE_DRIFT_THRESHOLDS/);
    expect(() => loadConfig({ env: { CHURNSCOPE_DRIFT_MIN_TEXTS: '3' } })).toThrow(/minTexts/);
  });

  it('rejects a window overlap as large as the window', () => {
    expect(() => parseConfig({ modelDir: 'm', engine: { maxTokens: 64, windowOverlap: 64 } })).toThrow(/windowOverlap/);
  });
});

describe('engine.precision', () => {
  it('defaults to auto; the flag overrides CHURNSCOPE_PRECISION', () => {
    expect(loadConfig({ env: {} }).engine.precision).toBe('auto');
    expect(loadConfig({ env: { CHURNSCOPE_PRECISION: 'int8' } }).engine.precision).toBe('int8');
    expect(loadConfig({ env: { CHURNSCOPE_PRECISION: 'int8' }, flags: { precision: 'fp32' } }).engine.precision).toBe(
      'fp32',
    );
  });

  it('refuses a bad value with one line listing the valid ones', () => {
    let err: unknown;
    try {
      loadConfig({ env: { CHURNSCOPE_PRECISION: 'fp16' } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(
      'invalid configuration at engine.precision: must be one of auto, fp32, int8, got "fp16"',
    );
  });
});

describe('engine.workers and engine.spinning', () => {
  it('defaults to one worker per core (at most 8) with spinning left to openTextModel; env and flag set them', () => {
    const c = loadConfig({ env: {} });
    expect(c.engine.workers).toBe(Math.min(8, os.availableParallelism()));
    expect(c.engine.spinning).toBeUndefined();
    const set = loadConfig({ env: { CHURNSCOPE_WORKERS: '2', CHURNSCOPE_SPINNING: 'on' }, flags: { workers: 0 } });
    expect(set.engine).toMatchObject({ workers: 0, spinning: true });
  });

  it('refuses a negative or fractional worker count, naming the field', () => {
    expect(() => loadConfig({ env: { CHURNSCOPE_WORKERS: '-1' } })).toThrow(/engine\.workers/);
    expect(() => parseConfig({ modelDir: 'm', engine: { workers: 1.5 } })).toThrow(/engine\.workers/);
    expect(() => loadConfig({ env: { CHURNSCOPE_SPINNING: 'maybe' } })).toThrow(/CHURNSCOPE_SPINNING/);
  });

  it('reads the queued-job lease from CHURNSCOPE_JOB_LEASE_SECONDS (default 25) and refuses 0 or a fraction', () => {
    expect(loadConfig({ env: {} }).jobs.leaseSeconds).toBe(25);
    expect(loadConfig({ env: { CHURNSCOPE_JOB_LEASE_SECONDS: '40' } }).jobs.leaseSeconds).toBe(40);
    expect(() => loadConfig({ env: { CHURNSCOPE_JOB_LEASE_SECONDS: '0' } })).toThrow(/jobs\.leaseSeconds/);
    expect(() => loadConfig({ env: { CHURNSCOPE_JOB_LEASE_SECONDS: '2.5' } })).toThrow(ConfigError);
  });

  it('reads the hung-worker deadline from CHURNSCOPE_WORKER_DEADLINE_MS and refuses one under 100 ms', () => {
    expect(loadConfig({ env: {} }).engine.workerDeadlineMs).toBe(30_000);
    expect(loadConfig({ env: { CHURNSCOPE_WORKER_DEADLINE_MS: '5000' } }).engine.workerDeadlineMs).toBe(5000);
    expect(() => loadConfig({ env: { CHURNSCOPE_WORKER_DEADLINE_MS: '10' } })).toThrow(/engine\.workerDeadlineMs/);
  });
});
