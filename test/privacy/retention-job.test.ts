// The retention job: purges at creation and on every interval with the injected clock, never overlapping, until disposed.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/logging';
import { RetentionJob, retentionCutoff } from '../../src/privacy';

afterEach(() => {
  vi.useRealTimers();
});

function fakeStore(result: () => Promise<number> | number = () => 1) {
  const cutoffs: string[] = [];
  return {
    cutoffs,
    texts: {
      async deleteOlderThan(cutoff: Date) {
        cutoffs.push(cutoff.toISOString());
        return result();
      },
    },
  };
}

describe('RetentionJob', () => {
  it('computes the cutoff N days before now', () => {
    expect(retentionCutoff(new Date('2025-03-31T12:00:00Z'), 30).toISOString()).toBe('2025-03-01T12:00:00.000Z');
  });

  it('purges once at creation, then every interval, each time with the clock of that moment', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let now = new Date('2025-06-10T00:00:00Z');
    const store = fakeStore();
    const job = await RetentionJob.create({
      store,
      retentionDays: 7,
      intervalMs: 3_600_000,
      logger: silentLogger(),
      clock: () => now,
    });
    expect(store.cutoffs).toEqual(['2025-06-03T00:00:00.000Z']);
    now = new Date('2025-06-10T01:00:00Z');
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(store.cutoffs).toEqual(['2025-06-03T00:00:00.000Z', '2025-06-03T01:00:00.000Z']);
    await job.dispose();
    await vi.advanceTimersByTimeAsync(10 * 3_600_000);
    expect(store.cutoffs).toHaveLength(2);
  });

  it('joins a run in progress instead of starting a second one', async () => {
    let release: (n: number) => void = () => {};
    const store = fakeStore();
    const job = await RetentionJob.create({ store, retentionDays: 1, intervalMs: 60_000, logger: silentLogger() });
    store.texts.deleteOlderThan = async (cutoff: Date) => {
      store.cutoffs.push(cutoff.toISOString());
      return new Promise<number>((resolve) => (release = resolve));
    };
    const a = job.runOnce();
    const b = job.runOnce();
    release(5);
    expect(await a).toEqual(await b);
    expect((await a).deleted).toBe(5);
    expect(store.cutoffs).toHaveLength(2);
    await job.dispose();
  });

  it('logs a failed run and keeps its schedule', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let calls = 0;
    const store = fakeStore(() => {
      calls++;
      if (calls === 1) throw new Error('disk I/O error');
      return 3;
    });
    const errors: unknown[] = [];
    const logger = silentLogger();
    logger.error = (obj: unknown) => errors.push(obj);
    const job = await RetentionJob.create({ store, retentionDays: 1, intervalMs: 1000, logger });
    expect(errors).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(2);
    await job.dispose();
  });

  it('refuses a retention below one day or a sub-second interval', async () => {
    const store = fakeStore();
    await expect(
      RetentionJob.create({ store, retentionDays: 0, intervalMs: 60_000, logger: silentLogger() }),
    ).rejects.toMatchObject({ field: 'privacy.retentionDays' });
    await expect(
      RetentionJob.create({ store, retentionDays: 3, intervalMs: 10, logger: silentLogger() }),
    ).rejects.toMatchObject({ field: 'privacy.retentionIntervalMinutes' });
    expect(store.cutoffs).toEqual([]);
  });
});
