// An engine over the fake model and a word tokenizer, counting score calls, so explain tests run without model files.
import { engineDefaults, type EngineConfig } from '../../src/config';
import { FakeTextModel, InferenceEngine, fakeTailLogit, type EngineTokenizer } from '../../src/engine';
import type { DriverTail } from '../../src/explain';
import { silentLogger } from '../../src/logging';

const VOCAB = new Map<string, number>([
  ['cancel', 1],
  ['refund', 2],
  ['never', 3],
  ['expensive', 4],
  ['bill', 5],
  ['great', 10],
  ['love', 11],
]);
export const RISKY_IDS = [1, 2, 3, 4, 5];

/** Lower-cased words without punctuation; unknown words get an id by length, never a risky one. */
export const wordTokenizer: EngineTokenizer = {
  async encodeBatch(texts, opts) {
    return texts.map((t) => {
      const words = [...t.toLowerCase().matchAll(/[a-z0-9']+/g)];
      const ids = Int32Array.from(words.map((m) => VOCAB.get(m[0]) ?? 100 + m[0].length));
      if (!opts?.offsets) return { ids };
      return { ids, offsets: Uint32Array.from(words.flatMap((m) => [m.index, m.index + m[0].length])) };
    });
  },
};

/** The fake model's tail over its one-wide token states (see FakeTextModel). */
export const FAKE_TAIL: DriverTail = {
  dim: 1,
  runsOn: 'typescript',
  logits: (pooled, ids) => Promise.resolve(Float64Array.from(ids, (_, r) => fakeTailLogit(pooled[r]))),
};

export function fakeEngine(opts: { tokenStates?: boolean; config?: Partial<EngineConfig> } = {}) {
  const model = new FakeTextModel({ riskyIds: RISKY_IDS, tokenStates: opts.tokenStates });
  // One generous batch and no padding limit, so "one engine call" is also visible as one model batch.
  const config = engineDefaults({ maxBatch: 256, maxPaddingFraction: 1000, maxWaitMs: 1, ...opts.config });
  const engine = new InferenceEngine({ model, tokenizer: wordTokenizer, config, logger: silentLogger() });
  const calls: string[][] = [];
  const counting = {
    score: (texts: readonly unknown[], o?: Parameters<InferenceEngine['score']>[1]) => {
      calls.push(texts as string[]);
      return engine.score(texts, o);
    },
    get supportsTokenStates() {
      return engine.supportsTokenStates;
    },
    get windowAggregate() {
      return engine.windowAggregate;
    },
  };
  return { model, engine: counting, calls, raw: engine };
}
