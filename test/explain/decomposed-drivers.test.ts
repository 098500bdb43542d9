// Decomposed phrase drivers over the fake model: same weights as occlusion from the one scoring pass, self-check fallback.
import { describe, expect, it } from 'vitest';
import { explainDecomposed, explainText, openPhraseDrivers, PhraseDrivers, type DriverTail } from '../../src/explain';
import { silentLogger } from '../../src/logging';
import { FAKE_TAIL, fakeEngine } from './fake-engine';

const review =
  'The staff were lovely and the room was great. But the bill was expensive; I will cancel, but the view was nice.';

describe('decomposed phrase drivers', () => {
  it('equal occlusion on the fake, whose logit is its tail of the mean token state', async () => {
    const { engine } = fakeEngine({ tokenStates: true });
    const [score] = await engine.score([review], { tokenStates: true });
    const out = await explainDecomposed({
      engine,
      text: review,
      score,
      tail: FAKE_TAIL,
      aggregate: 'max',
      tolerance: 1e-5,
    });
    if (!out.ok) throw new Error(out.reason);
    const occlusion = await explainText({ engine, text: review });
    expect(out.explanation.phrases.map((p) => p.text)).toEqual(['But the bill was expensive', 'I will cancel']);
    expect(out.explanation.risk).toBeCloseTo(occlusion.risk, 6);
    out.explanation.phrases.forEach((p, i) => expect(p.weight).toBeCloseTo(occlusion.phrases[i].weight, 5));
  });

  it('costs no model pass beyond the scoring pass it reuses', async () => {
    const { engine, model } = fakeEngine({ tokenStates: true });
    const withTail = new PhraseDrivers(engine, FAKE_TAIL, silentLogger());
    const [score] = await engine.score([review], { tokenStates: true });
    const before = model.batches.length;
    const out = await withTail.explain(review, { score });
    expect(model.batches.length).toBe(before);
    expect(out.method).toBe('decomposed');
    expect(withTail.counts).toEqual({ decomposed: 1, fallbacks: 0, occlusion: 0 });
    // Without a score it runs exactly one pass of its own.
    await withTail.explain(review);
    expect(model.batches.length).toBe(before + 1);
  });

  it('falls back to occlusion, counted, when the tail does not reproduce the logit', async () => {
    const { engine, calls } = fakeEngine({ tokenStates: true });
    const off: DriverTail = {
      dim: 1,
      runsOn: 'typescript',
      logits: async (p, ids) => (await FAKE_TAIL.logits(p, ids)).map((l) => l + 0.5),
    };
    const drivers = new PhraseDrivers(engine, off, silentLogger(), 0.1);
    const [score] = await engine.score([review], { tokenStates: true });
    const out = await drivers.explain(review, { score });
    expect(out.method).toBe('occlusion');
    expect(drivers.counts).toEqual({ decomposed: 0, fallbacks: 1, occlusion: 0 });
    expect(calls.at(-1)).toHaveLength(5);
    expect(out.phrases[0].text).toBe('But the bill was expensive');
  });

  it('uses occlusion from the start on a model without token states', async () => {
    const { engine } = fakeEngine();
    const drivers = await openPhraseDrivers({ engine, fp32ModelFile: 'not-read.onnx', logger: silentLogger() });
    expect(drivers.method).toBe('occlusion');
    expect((await drivers.explain(review)).phrases[0].text).toBe('But the bill was expensive');
    expect(drivers.counts.occlusion).toBe(1);
  });

  it('combines windows as the engine does: a risky clause in the last window drives a max-aggregated text', async () => {
    const { engine } = fakeEngine({ tokenStates: true, config: { maxTokens: 8, windowOverlap: 2 } });
    const text = 'The room was lovely and quiet. The staff were kind and fast. I will cancel, the bill was expensive.';
    const [score] = await engine.score([text], { tokenStates: true });
    expect(score.tokenStates!.windows.length).toBeGreaterThan(1);
    const out = await explainDecomposed({ engine, text, score, tail: FAKE_TAIL, aggregate: 'max', tolerance: 1e-5 });
    if (!out.ok) throw new Error(out.reason);
    expect(out.explanation.phrases.map((p) => p.text)).toEqual(['I will cancel, the bill was expensive.']);
    expect(out.explanation.phrases[0].weight).toBeGreaterThan(0.1);
  });

  it('weighs a lone unit against placeholder words with one extra pass, as occlusion does', async () => {
    const { engine, raw } = fakeEngine({ tokenStates: true });
    const [score] = await engine.score(['I will cancel'], { tokenStates: true });
    const out = await explainDecomposed({
      engine,
      text: 'I will cancel',
      score,
      tail: FAKE_TAIL,
      aggregate: 'max',
      tolerance: 1e-5,
    });
    if (!out.ok) throw new Error(out.reason);
    const [full, base] = await raw.score(['I will cancel', 'the the the']);
    expect(out.explanation.phrases[0].weight).toBeCloseTo(full.probability - base.probability, 6);
  });
});
