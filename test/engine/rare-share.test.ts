// TextScore.rareShare: the share of rare ids in a text's first window, only when the engine has a rare-token rule.
import { describe, expect, it } from 'vitest';
import { engineDefaults } from '../../src/config';
import { FakeTextModel, InferenceEngine, type EngineTokenizer } from '../../src/engine';
import { silentLogger } from '../../src/logging';

/** "r" words are id 100 (rare), anything else id 1. */
const tokenizer: EngineTokenizer = {
  async encodeBatch(texts) {
    return texts.map((t) => ({ ids: Int32Array.from(t.split(' ').map((w) => (w === 'r' ? 100 : 1))) }));
  },
};

function engine(isRareToken?: (id: number) => boolean) {
  return new InferenceEngine({
    model: new FakeTextModel(),
    tokenizer,
    config: engineDefaults({ maxTokens: 8, windowOverlap: 2, maxWaitMs: 1 }),
    logger: silentLogger(),
    isRareToken,
  });
}

describe('rareShare', () => {
  it('counts rare ids over the first maxTokens ids only, as the validation split keeps them', async () => {
    const e = engine((id) => id >= 100);
    // First window "r a r a r a r a" → 4 of 8; the rare tail beyond it does not count. Tokens count the whole text.
    const [long, short] = await e.score(['r a r a r a r a r r r r', 'a r']);
    expect(long).toMatchObject({ rareShare: 0.5, tokens: 12 });
    expect(short.rareShare).toBe(0.5);
    await e.dispose();
  });

  it('is absent without a rule', async () => {
    const e = engine();
    const [s] = await e.score(['r a']);
    expect(s.rareShare).toBeUndefined();
    await e.dispose();
  });
});
