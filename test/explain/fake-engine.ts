// An engine over the fake model and a word tokenizer, counting score calls, so explain tests run without model files.
import { engineDefaults } from '../../src/config';
import { FakeTextModel, InferenceEngine, type EngineTokenizer } from '../../src/engine';
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
  async encodeBatch(texts) {
    return texts.map((t) => ({
      ids: Int32Array.from((t.toLowerCase().match(/[a-z0-9']+/g) ?? []).map((w) => VOCAB.get(w) ?? 100 + w.length)),
    }));
  },
};

export function fakeEngine() {
  const model = new FakeTextModel({ riskyIds: RISKY_IDS });
  // One generous batch and no padding limit, so "one engine call" is also visible as one model batch.
  const config = engineDefaults({ maxBatch: 256, maxPaddingFraction: 1000, maxWaitMs: 1 });
  const engine = new InferenceEngine({ model, tokenizer: wordTokenizer, config, logger: silentLogger() });
  const calls: string[][] = [];
  const counting = {
    score: (texts: readonly unknown[]) => {
      calls.push(texts as string[]);
      return engine.score(texts);
    },
  };
  return { model, engine: counting, calls, raw: engine };
}
