// OrderedChunks: commits in dispatch order whatever order the work finishes in, and never has more than inFlight running.
import { describe, expect, it } from 'vitest';
import { OrderedChunks } from '../../src/jobs/ordered-chunks';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('OrderedChunks', () => {
  it('commits in input order when later chunks finish first, with at most inFlight running', async () => {
    const committed: number[][] = [];
    let running = 0;
    let peak = 0;
    const chunks = new OrderedChunks<number, number>({
      inFlight: 3,
      work: async (items) => {
        running++;
        peak = Math.max(peak, running);
        await sleep(items[0] % 2 === 0 ? 30 : 1); // even chunks are slow
        running--;
        return items[0];
      },
      commit: async (items, result) => {
        expect(result).toBe(items[0]);
        committed.push(items);
      },
    });
    for (let i = 0; i < 8; i++) await chunks.push([i, i]);
    await chunks.drain();
    expect(committed.map((c) => c[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
  });

  it('settle observes every pending failure after a commit throws', async () => {
    const chunks = new OrderedChunks<number, number>({
      inFlight: 5,
      work: async (items) => {
        if (items[0] > 0) throw new Error(`chunk ${items[0]} failed`);
        return 0;
      },
      commit: async () => {
        throw new Error('disk full');
      },
    });
    for (let i = 0; i < 3; i++) await chunks.push([i]);
    await expect(chunks.drain()).rejects.toThrow('disk full');
    await expect(chunks.settle()).resolves.toBeUndefined();
  });
});
