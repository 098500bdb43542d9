// Shadow scoring over HTTP: responses unchanged, scores stored under the shadow version, compared in the live view.
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging';
import { ShadowScorer } from '../../src/service';
import type { Store } from '../../src/store';
import { call, fakeServingModel, startTestApp, type TestApp } from './test-app';

const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

const RISKY = 'cancel refund never bill';
const CALM = 'lovely snack great taste';

/** A shadow that finds nothing risky: every text gets the same risk, so its ROC-AUC on feedback is 0.5. */
const flatShadow =
  (sampleRate = 1, random?: () => number) =>
  (store: Store) =>
    ShadowScorer.create({
      model: fakeServingModel('shadow-v2', { riskyIds: [] }),
      sampleRate,
      store,
      logger: silentLogger(),
      random,
    });

async function start(shadow?: (store: Store) => Promise<ShadowScorer>): Promise<TestApp> {
  const app = await startTestApp({ shadow });
  apps.push(app);
  return app;
}

const withoutTextIds = (body: { textId?: string; items?: { textId: string }[] }) =>
  JSON.parse(JSON.stringify(body, (k, v: unknown) => (k === 'textId' ? undefined : v)));

/** `pairs` risky texts reported churned and calm ones retained, each scored first: outcomes for the quality view. */
async function scoreWithOutcomes(base: string, pairs: number): Promise<void> {
  for (let i = 0; i < pairs; i++) {
    for (const [text, outcome] of [
      [`${RISKY} ${i}`, 'churned'],
      [`${CALM} ${i}`, 'retained'],
    ] as const) {
      const r = await call(base, 'POST', '/v1/score', { text, source: 'review', explain: false });
      await call(base, 'POST', '/v1/feedback', { textId: r.json.textId, outcome });
    }
  }
}

describe('shadow scoring', () => {
  it('never changes a response: same bodies with shadow on and off, single and batch', async () => {
    const off = await start();
    const on = await start(flatShadow());
    const requests = [
      { text: `${RISKY} today`, source: 'chat' },
      { items: [{ text: CALM }, { text: `${RISKY} again`, explain: true }] },
    ];
    const textIds: string[] = [];
    for (const body of requests) {
      const a = await call(off.base, 'POST', '/v1/score', body);
      const b = await call(on.base, 'POST', '/v1/score', body);
      expect(b.status).toBe(200);
      expect(withoutTextIds(b.json)).toEqual(withoutTextIds(a.json));
      textIds.push(...(b.json.items ?? [b.json]).map((x: { textId: string }) => x.textId));
    }
    await on.shadow!.idle();
    // Each of the three texts has a shadow score (under the shadow version) beside its served one (under v1).
    for (const textId of textIds) await call(on.base, 'POST', '/v1/feedback', { textId, outcome: 'churned' });
    expect((await on.store.shadowScores.labelledScores()).map((p) => p.modelVersion)).toEqual(
      Array(3).fill('shadow-v2'),
    );
    expect((await on.store.feedback.labelledScores()).map((p) => p.modelVersion)).toEqual(Array(3).fill('v1'));
  });

  it('still answers when the shadow model fails, and stores nothing for it', async () => {
    const app = await start(async (store) => {
      const broken = fakeServingModel('shadow-broken');
      broken.engine.score = () => Promise.reject(new Error('shadow engine down'));
      return ShadowScorer.create({ model: broken, sampleRate: 1, store, logger: silentLogger() });
    });
    const r = await call(app.base, 'POST', '/v1/score', { text: RISKY, explain: false });
    expect(r.status).toBe(200);
    await app.shadow!.idle();
    await call(app.base, 'POST', '/v1/feedback', { textId: r.json.textId, outcome: 'churned' });
    expect(await app.store.shadowScores.labelledScores()).toEqual([]);
    expect(await app.store.feedback.labelledScores()).toHaveLength(1);
  });

  it('stores sampled texts under the shadow version and lists them next to the active model', async () => {
    // Every other text is sampled.
    let draws = 0;
    const app = await start(flatShadow(0.5, () => (draws++ % 2 === 0 ? 0.1 : 0.9)));
    await scoreWithOutcomes(app.base, 8);
    await app.shadow!.idle();
    const shadowPoints = await app.store.shadowScores.labelledScores();
    expect(shadowPoints).toHaveLength(8);
    expect(new Set(shadowPoints.map((p) => p.modelVersion))).toEqual(new Set(['shadow-v2']));
    // Sampled were the risky texts (draws 0, 2, 4 …), all churned.
    expect(shadowPoints.every((p) => p.label === 1)).toBe(true);

    // Only churned texts were sampled: the shadow has no ROC-AUC yet, and the view says so instead of inventing one.
    const m = (await call(app.base, 'GET', '/v1/metrics/model')).json;
    expect(m.byModel.map((x: { modelVersion: string }) => x.modelVersion)).toEqual(['v1']);
    expect(m.byModel[0]).toMatchObject({ n: 16, rocAuc: 1 });
    expect(m.shadow).toHaveLength(1);
    expect(m.shadow[0]).toMatchObject({ modelVersion: 'shadow-v2', n: 8, positives: 8, rocAuc: null });
  });

  it('compares the shadow ROC-AUC with the active one on feedback', async () => {
    const app = await start(flatShadow());
    await scoreWithOutcomes(app.base, 6);
    await app.shadow!.idle();
    const m = (await call(app.base, 'GET', '/v1/metrics/model')).json;
    expect(m.byModel[0]).toMatchObject({ modelVersion: 'v1', n: 12, rocAuc: 1 });
    expect(m.shadow[0]).toMatchObject({ modelVersion: 'shadow-v2', n: 12, positives: 6, rocAuc: 0.5 });
    expect(m.shadow[0].bySource[0]).toMatchObject({ source: 'review', n: 12 });
    // The served model on the same outcomes, and the paired difference: the flat shadow is clearly worse.
    expect(m.shadow[0].served).toMatchObject({ n: 12, rocAuc: 1 });
    expect(m.shadow[0].difference.rocAuc).toBeCloseTo(-0.5, 12);
    expect(m.shadow[0].difference.interval95[1]).toBeLessThan(0);
  });
});
