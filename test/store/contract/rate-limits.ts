// Contract: rate-limit counters (fixed windows, atomic under concurrent hits, undo, reset, prune).
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors';
import { useStore, type HarnessRef } from './harness';

export function rateLimitsContract(h: HarnessRef): void {
  const store = useStore(h);
  const t0 = new Date('2026-01-01T00:00:00.000Z');
  const later = (ms: number) => new Date(t0.getTime() + ms);

  describe('rate-limit counters', () => {
    it('count hits per key within a window and start over in the next one', async () => {
      const rl = store().rateLimits;
      expect(await rl.hit('key:a', 60_000, t0)).toEqual({ hits: 1, resetAt: '2026-01-01T00:01:00.000Z' });
      expect((await rl.hit('key:a', 60_000, later(59_999))).hits).toBe(2);
      expect((await rl.hit('key:b', 60_000, later(1))).hits).toBe(1);
      expect(await rl.hit('key:a', 60_000, later(60_000))).toEqual({ hits: 1, resetAt: '2026-01-01T00:02:00.000Z' });
    });

    it('count every one of many concurrent hits exactly once', async () => {
      const hits = await Promise.all(Array.from({ length: 20 }, () => store().rateLimits.hit('key:c', 60_000, t0)));
      expect(hits.map((x) => x.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('undo takes one back (never below 0), reset forgets the key, prune drops old windows', async () => {
      const rl = store().rateLimits;
      await rl.hit('key:d', 1000, t0);
      await rl.hit('key:d', 1000, t0);
      await rl.undo('key:d', 1000, t0);
      expect((await rl.hit('key:d', 1000, t0)).hits).toBe(2);
      await rl.reset('key:d');
      await rl.undo('key:d', 1000, t0);
      expect((await rl.hit('key:d', 1000, t0)).hits).toBe(1);
      await rl.hit('key:e', 1000, later(5000));
      expect(await rl.prune(later(1000))).toBe(1);
      expect((await rl.hit('key:e', 1000, later(5000))).hits).toBe(2);
      await expect(rl.hit('', 1000)).rejects.toBeInstanceOf(ValidationError);
      await expect(rl.hit('k', 0)).rejects.toMatchObject({ field: 'windowMs' });
    });
  });
}
