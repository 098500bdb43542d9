// POST /v1/score with decomposed phrase drivers: one model pass per default request, same drivers as occlusion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineDefaults } from '../../src/config';
import { CountingTextModel, FakeTextModel, InferenceEngine } from '../../src/engine';
import { PhraseDrivers } from '../../src/explain';
import { silentLogger } from '../../src/logging';
import type { ServingModel } from '../../src/models';
import { RiskCalibrator } from '../../src/score';
import { FAKE_TAIL, RISKY_IDS, wordTokenizer } from '../explain/fake-engine';
import { call, startTestApp, type TestApp } from './test-app';

function model(version: string, decomposed: boolean): { serving: ServingModel; counting: CountingTextModel } {
  const counting = new CountingTextModel(new FakeTextModel({ riskyIds: RISKY_IDS, tokenStates: decomposed }));
  const engine = new InferenceEngine({
    model: counting,
    tokenizer: wordTokenizer,
    config: engineDefaults({ maxWaitMs: 1, maxBatch: 64, maxPaddingFraction: 100 }),
    logger: silentLogger(),
  });
  const info = { version, encoder: 'fake', maxTokens: 256, bands: { medium: 0.3, high: 0.6, critical: 0.85 } };
  const drivers = new PhraseDrivers(engine, decomposed ? FAKE_TAIL : undefined, silentLogger());
  const serving = { version, dir: `/models/${version}`, info, engine, calibrator: new RiskCalibrator(info), drivers };
  return { serving, counting };
}

const text = 'The staff were lovely. But the bill was expensive; I will cancel, and the view was nice.';

describe('POST /v1/score with decomposed drivers', () => {
  const decomposed = model('dec', true);
  const occlusion = model('occ', false);
  let dec: TestApp;
  let occ: TestApp;
  beforeAll(async () => {
    dec = await startTestApp({ initialModel: decomposed.serving });
    occ = await startTestApp({ initialModel: occlusion.serving });
  });
  afterAll(async () => {
    await dec?.close();
    await occ?.close();
  });

  it('answers a default request from its one scoring pass, with the drivers occlusion finds', async () => {
    const before = decomposed.counting.snapshot();
    const r = await call(dec.base, 'POST', '/v1/score', { text });
    expect(r.status).toBe(200);
    expect(decomposed.counting.runs - before.runs).toBe(1);
    expect(decomposed.serving.drivers!.counts.decomposed).toBe(1);
    const o = await call(occ.base, 'POST', '/v1/score', { text });
    expect(occlusion.counting.sequences).toBeGreaterThan(4);
    const phrases = (x: typeof r) => x.json.drivers.phrases.map((p: { text: string }) => p.text);
    expect(phrases(r)).toEqual(phrases(o));
    expect(phrases(r)[0]).toBe('But the bill was expensive');
    r.json.drivers.phrases.forEach((p: { weight: number }, i: number) =>
      expect(p.weight).toBeCloseTo(o.json.drivers.phrases[i].weight, 4),
    );
  });

  it('keeps explain: false at its one pass, without drivers', async () => {
    const before = decomposed.counting.snapshot();
    const r = await call(dec.base, 'POST', '/v1/score', { text, explain: false });
    expect(r.json.drivers.phrases).toEqual([]);
    expect(decomposed.counting.runs - before.runs).toBe(1);
    expect(decomposed.serving.drivers!.counts.decomposed).toBe(1);
  });
});
