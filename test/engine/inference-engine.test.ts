import { describe, expect, it } from 'vitest';
import { engineDefaults } from '../../src/config';
import { FakeTextModel, InferenceEngine, type EngineTokenizer } from '../../src/engine';
import { OverloadedError, PayloadTooLargeError, ValidationError } from '../../src/errors';
import { silentLogger } from '../../src/logging';

/** Whitespace tokenizer with a fixed small vocabulary: enough to drive the engine without model files. */
const VOCAB = new Map<string, number>([
  ['cancel', 1],
  ['refund', 2],
  ['never', 3],
  ['great', 4],
  ['love', 5],
]);
const fakeTokenizer: EngineTokenizer = {
  async encodeBatch(texts) {
    return texts.map((t) => ({
      ids: Int32Array.from(
        t
          .toLowerCase()
          .split(/\s+/)
          .filter(Boolean)
          .map((w) => VOCAB.get(w) ?? 100 + w.length),
      ),
    }));
  },
};

function engine(overrides: Parameters<typeof engineDefaults>[0] = {}, delayMs = 0) {
  const model = new FakeTextModel({ riskyIds: [1, 2, 3], delayMs });
  const config = engineDefaults({ maxTokens: 8, windowOverlap: 2, maxWaitMs: 2, ...overrides });
  return { model, engine: new InferenceEngine({ model, tokenizer: fakeTokenizer, config, logger: silentLogger() }) };
}

describe('InferenceEngine', () => {
  it('scores risky text above calm text, one result per input in order', async () => {
    const { engine: e } = engine();
    const [risky, calm] = await e.score(['cancel refund never', 'great love great']);
    expect(risky.probability).toBeGreaterThan(0.8);
    expect(calm.probability).toBeLessThan(0.2);
    expect(risky.embedding).toHaveLength(8);
    expect(risky.windows.count).toBe(1);
  });

  it('splits long texts into overlapping windows and reports max and mean', async () => {
    const { engine: e } = engine({ windowAggregate: 'max' });
    const long = `${'great '.repeat(20)}cancel refund never cancel refund never cancel`;
    const [s] = await e.score([long]);
    expect(s.windows.count).toBeGreaterThan(2);
    expect(s.windows.max).toBeGreaterThan(s.windows.mean);
    expect(s.probability).toBe(s.windows.max);
    expect(s.tokens).toBe(27);
  });

  it('keeps concurrent callers apart while batching them together', async () => {
    const { engine: e, model } = engine({ maxBatch: 64, maxWaitMs: 10 }, 5);
    const texts = Array.from({ length: 40 }, (_, i) => (i % 2 ? 'cancel never refund' : `great love ${'x'.repeat(i)}`));
    const results = await Promise.all(texts.map((t) => e.score([t])));
    results.forEach(([r], i) => expect(r.probability > 0.5).toBe(i % 2 === 1));
    expect(model.batches.length).toBeLessThan(texts.length);
  });

  it.each([
    [42, ValidationError, /must be a string, got number/],
    [null, ValidationError, /got null/],
    ['', ValidationError, /empty/],
    ['  \n\t ', ValidationError, /empty/],
  ])('rejects %j with a typed error', async (input, type, message) => {
    const { engine: e } = engine();
    const err = await e.score([input]).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(type);
    expect((err as Error).message).toMatch(message);
  });

  it('names the offending item of a batch', async () => {
    const { engine: e } = engine();
    const err = await e.score(['great', 7]).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).field).toBe('texts[1]');
  });

  it('rejects text over the byte limit with PayloadTooLargeError', async () => {
    const { engine: e } = engine({ maxTextBytes: 100 });
    await expect(e.score(['é'.repeat(51)])).rejects.toBeInstanceOf(PayloadTooLargeError);
    await expect(e.score(['e'.repeat(100)])).resolves.toHaveLength(1);
  });

  it('answers OverloadedError when its queue is full', async () => {
    const { engine: e } = engine({ maxQueue: 4, maxBatch: 1 }, 20);
    const first = e.score(['great', 'love', 'great', 'love']);
    await new Promise((r) => setTimeout(r, 5)); // tokenized and queued by now
    await expect(e.score(['cancel', 'refund'])).rejects.toBeInstanceOf(OverloadedError);
    await first;
  });

  it('refuses a multi-text request whole when its windows do not all fit: nothing of it stays queued', async () => {
    const { engine: e, model } = engine({ maxQueue: 6, maxBatch: 1, maxTokens: 8, windowOverlap: 2 }, 20);
    const first = e.score(['great', 'love', 'great', 'love']);
    await new Promise((r) => setTimeout(r, 5));
    const depth = e.queueDepth;
    // One short text fits; the long second one (several windows) does not: the first text must not be left queued.
    const long = 'great love '.repeat(12);
    await expect(e.score(['cancel', long])).rejects.toBeInstanceOf(OverloadedError);
    expect(e.queueDepth).toBe(depth);
    await first;
    await new Promise((r) => setTimeout(r, 30));
    expect(model.batches.flat().some((seq) => seq.length === 1 && seq[0] === 1)).toBe(false);
  });

  it('refuses work after dispose, having finished what was queued', async () => {
    const { engine: e } = engine({}, 5);
    const inFlight = e.score(['great love']);
    await e.dispose();
    await expect(inFlight).resolves.toHaveLength(1);
    await expect(e.score(['great'])).rejects.toBeInstanceOf(OverloadedError);
  });
});
