// score(…, { tokenStates: true }): per-window states and offsets from the same pass, fetched only when asked.
import { describe, expect, it } from 'vitest';
import { engineDefaults } from '../../src/config';
import { CountingTextModel, FakeTextModel, InferenceEngine, type ModelRunOptions } from '../../src/engine';
import { silentLogger } from '../../src/logging';
import { wordTokenizer } from '../explain/fake-engine';

/** The fake, recording what each run was asked to fetch. */
class RecordingModel extends CountingTextModel {
  readonly asked: (ModelRunOptions | undefined)[] = [];
  override run(sequences: readonly Int32Array[], opts?: ModelRunOptions) {
    this.asked.push(opts);
    return super.run(sequences, opts);
  }
}

function engine(tokenStates: boolean) {
  const model = new RecordingModel(new FakeTextModel({ riskyIds: [1, 2, 3, 4, 5], tokenStates }));
  const config = engineDefaults({
    maxTokens: 8,
    windowOverlap: 2,
    maxWaitMs: 2,
    maxBatch: 64,
    maxPaddingFraction: 100,
  });
  return { model, engine: new InferenceEngine({ model, tokenizer: wordTokenizer, config, logger: silentLogger() }) };
}

const long = 'one two three four five six seven eight nine ten cancel refund never twelve';

describe('InferenceEngine token states', () => {
  it('returns each window with its token slice, states, logit and the text offsets, in one pass', async () => {
    const { engine: e, model } = engine(true);
    expect(e.supportsTokenStates).toBe(true);
    const [score] = await e.score([long], { tokenStates: true });
    const ts = score.tokenStates!;
    expect(model.runs).toBe(1);
    expect(ts.dim).toBe(1);
    expect(ts.windows.map((w) => [w.start, w.ids.length])).toEqual([
      [0, 8],
      [6, 8],
    ]);
    for (const w of ts.windows) {
      expect(w.states).toHaveLength(w.ids.length);
      expect(Array.from(w.states)).toEqual(Array.from(w.ids, (id) => (id <= 5 ? 1 : 0)));
      expect(w.probability).toBeCloseTo(1 / (1 + Math.exp(-w.logit)), 6);
    }
    expect(long.slice(ts.offsets![2 * 10], ts.offsets![2 * 10 + 1])).toBe('cancel');
    expect(score.probability).toBe(Math.max(...ts.windows.map((w) => w.probability)));
  });

  it('never asks the model for states on plain scoring, and serves both kinds side by side', async () => {
    const { engine: e, model } = engine(true);
    const [plain] = await e.score(['cancel great']);
    expect(plain.tokenStates).toBeUndefined();
    expect(model.asked).toEqual([undefined]);
    const [a, b] = await Promise.all([e.score(['cancel great'], { tokenStates: true }), e.score(['great love'])]);
    expect(a[0].tokenStates?.windows[0].states).toHaveLength(2);
    expect(b[0].tokenStates).toBeUndefined();
  });

  it('ignores the option on a model without token states', async () => {
    const { engine: e } = engine(false);
    expect(e.supportsTokenStates).toBe(false);
    expect((await e.score(['cancel great'], { tokenStates: true }))[0].tokenStates).toBeUndefined();
  });
});
