// A transient refusal (OverloadedError) inside a batch job is retried with backoff, never recorded as a row error.
import { describe, expect, it } from 'vitest';
import { OverloadedError } from '../../src/errors';
import type { RowItem } from '../../src/ingest';
import { scoreChunk } from '../../src/jobs/score-chunk';
import { fakeCalibrator, fakeEngine } from './fake-scoring';

const items: RowItem[] = Array.from({ length: 6 }, (_, i) => ({
  kind: 'row',
  line: i + 2,
  values: { id: `r${i}`, text: i % 2 ? 'I will cancel' : 'lovely product' },
}));
const retry = { initialMs: 1, maxMs: 4, maxTotalMs: 2000 };

function refusing(times: number) {
  const engine = fakeEngine();
  let refusals = 0;
  return {
    engine: {
      score: (texts: readonly unknown[], opts?: { bulk?: boolean }) => {
        if (refusals < times) {
          refusals++;
          return Promise.reject(new OverloadedError('engine queue is full; retry later'));
        }
        return engine.score(texts, opts);
      },
    },
    refusals: () => refusals,
    dispose: () => engine.dispose(),
  };
}

describe('scoreChunk on a busy engine', () => {
  it('retries queue-full refusals and scores every row, with no row errors', async () => {
    const e = refusing(5);
    try {
      const out = await scoreChunk(items, { engine: e.engine, calibrator: fakeCalibrator, textColumn: 'text', retry });
      expect(e.refusals()).toBe(5);
      expect(out.filter((r) => typeof r === 'string')).toEqual([]);
      expect(out).toHaveLength(6);
    } finally {
      await e.dispose();
    }
  });

  it('a refusal that outlasts the retry budget fails the chunk (the job), not its rows', async () => {
    const e = refusing(Number.POSITIVE_INFINITY);
    try {
      await expect(
        scoreChunk(items, {
          engine: e.engine,
          calibrator: fakeCalibrator,
          textColumn: 'text',
          retry: { initialMs: 1, maxMs: 2, maxTotalMs: 30 },
        }),
      ).rejects.toThrow(/kept refusing batch rows/);
    } finally {
      await e.dispose();
    }
  });
});
