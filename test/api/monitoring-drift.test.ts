// GET /v1/monitoring/drift in-process over the fake engine: flagged on a shifted stream, quiet on an unshifted one.
import seedrandom from 'seedrandom';
import { afterEach, describe, expect, it } from 'vitest';
import type { DriftReference } from '../../src/bundle';
import { buildDriftReference } from '../../src/drift';
import type { TextSource } from '../../src/store';
import { call, fakeServingModel, startTestApp, type TestApp } from './test-app';

const CALM = ['good', 'fine', 'tasty', 'ok', 'delivery', 'arrived', 'wonderfully', 'coffee', 'price', 'extraordinary'];
const RISKY = ['cancel', 'refund', 'never', 'bill'];

/** Reviews of 6–30 words, a risky word with probability pRisky per word. */
function stream(seed: string, n: number, pRisky: number): string[] {
  const rnd = seedrandom(seed);
  return Array.from({ length: n }, () => {
    const words = Array.from({ length: 6 + Math.floor(rnd() * 25) }, () =>
      rnd() < pRisky ? RISKY[Math.floor(rnd() * RISKY.length)] : CALM[Math.floor(rnd() * CALM.length)],
    );
    return words.join(' ');
  });
}

/** The fake model's reference, built the way a bundle's is: its own engine scoring "validation" texts. */
async function fakeReference(): Promise<DriftReference> {
  const model = fakeServingModel('v1');
  const texts = stream('reference', 600, 0.08);
  const scores = await model.engine.score(texts);
  await model.engine.dispose();
  return buildDriftReference({
    model: 'v1',
    engine: { precision: 'fp32', modelFile: 'none' },
    tokenCap: 256,
    rareTokens: { definition: 'fake: ids ≥ 20', unkId: null, rankCutoff: 20, vocabSize: 60 },
    texts: scores.map((s, i) => ({
      risk: model.calibrator.risk(s.probability),
      tokens: s.tokens,
      rareShare: s.rareShare!,
      embedding: s.embedding,
      source: i % 10 === 0 ? 'ticket' : 'review',
    })),
  });
}

async function scoreAll(app: TestApp, texts: string[], source: (i: number) => TextSource): Promise<void> {
  for (let s = 0; s < texts.length; s += 50) {
    const items = texts.slice(s, s + 50).map((text, k) => ({ text, source: source(s + k), explain: false }));
    const r = await call(app.base, 'POST', '/v1/score', { items });
    expect(r.status).toBe(200);
  }
}

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function appWithReference(opts: Parameters<typeof startTestApp>[0] = {}): Promise<TestApp> {
  app = await startTestApp({
    initialModel: fakeServingModel('v1', { driftReference: await fakeReference() }),
    ...opts,
  });
  return app;
}

describe('GET /v1/monitoring/drift', () => {
  it('flags no signal on a stream drawn like the reference', async () => {
    const a = await appWithReference();
    await scoreAll(a, stream('live-same', 300, 0.08), (i) => (i % 10 === 0 ? 'ticket' : 'review'));
    const r = await call(a.base, 'GET', '/v1/monitoring/drift');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ model: 'v1', window: { count: 300 }, reference: { texts: 600 } });
    const names = r.json.signals.map((s: { name: string }) => s.name);
    expect(names).toEqual(['risk', 'tokens', 'rare_share', 'centroid_distance', 'source']);
    for (const s of r.json.signals) {
      expect(s).toMatchObject({ drifted: false, threshold: 0.2, count: 300 });
      expect(s.psi).toBeLessThan(0.2);
    }
    expect(r.json.signals[0].ks.statistic).toBeLessThan(0.15);
  });

  it('flags risk, centroid distance and source on a stream of complaints from tickets', async () => {
    const a = await appWithReference();
    await scoreAll(a, stream('live-shifted', 200, 0.4), () => 'ticket');
    const r = await call(a.base, 'GET', '/v1/monitoring/drift');
    expect(r.status).toBe(200);
    const by = Object.fromEntries(r.json.signals.map((s: { name: string }) => [s.name, s]));
    expect(by.risk).toMatchObject({ drifted: true });
    expect(by.risk.psi).toBeGreaterThan(1);
    expect(by.risk.ks.pValue).toBeLessThan(1e-6);
    expect(by.source).toMatchObject({ drifted: true });
    expect(by.centroid_distance.drifted).toBe(true);
    // The lengths were drawn alike: the length signal stays quiet even though the content moved.
    expect(by.tokens.drifted).toBe(false);

    // Filtered to one source, the source signal is left out with the reason instead of being trivially 'drifted'.
    const tickets = await call(a.base, 'GET', '/v1/monitoring/drift?source=ticket');
    const source = tickets.json.signals.find((s: { name: string }) => s.name === 'source');
    expect(source).toMatchObject({ psi: null, drifted: false, note: expect.stringContaining('ticket') });
  });

  it('uses per-signal thresholds from the config', async () => {
    const a = await appWithReference({ drift: { psiThreshold: 0.5, thresholds: { risk: 5 } } });
    await scoreAll(a, stream('live-shifted', 120, 0.4), () => 'review');
    const r = await call(a.base, 'GET', '/v1/monitoring/drift');
    const risk = r.json.signals.find((s: { name: string }) => s.name === 'risk');
    expect(risk.threshold).toBe(5);
    expect(risk.drifted).toBe(risk.psi > 5);
    expect(r.json.signals.find((s: { name: string }) => s.name === 'tokens').threshold).toBe(0.5);
  });

  it('says plainly when the bundle has no reference', async () => {
    app = await startTestApp();
    await scoreAll(app, stream('x', 5, 0.1), () => 'review');
    const r = await call(app.base, 'GET', '/v1/monitoring/drift');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ model: 'v1', reference: null, signals: [], window: { count: 5 } });
    expect(r.json.reason).toContain('drift-reference.json');
  });

  it('refuses a window with too few texts with 422 naming the count', async () => {
    const a = await appWithReference();
    await scoreAll(a, stream('few', 30, 0.08), () => 'review');
    const r = await call(a.base, 'GET', '/v1/monitoring/drift');
    expect(r.status).toBe(422);
    expect(r.json.error).toMatchObject({ code: 'insufficient_data', field: 'count' });
    expect(r.json.error.message).toContain('30 texts');
    expect(r.json.error.message).toContain('at least 100');
    // A window in the past holds none of them.
    const past = await call(a.base, 'GET', '/v1/monitoring/drift?from=2020-01-01&to=2020-01-31');
    expect(past.json.error.message).toContain('holds 0 texts');
  });

  it.each([
    ['from=yesterday', 'query.from'],
    ['to=2024-13-45', 'query.to'],
    ['from=2024-02-01&to=2024-01-01', 'query.to'],
    ['source=email', 'query.source'],
  ])('answers 400 naming the parameter for %s', async (qs, field) => {
    const a = await appWithReference();
    const r = await call(a.base, 'GET', `/v1/monitoring/drift?${qs}`);
    expect(r.status).toBe(400);
    expect(r.json.error.field).toBe(field);
    if (field === 'query.source') expect(r.json.error.message).toMatch(/review.*ticket/);
  });
});

describe('drift on /metrics and in alerts', () => {
  it('exports churnscope_drift_psi per signal and fires a drift_above webhook once', async () => {
    const sent: unknown[] = [];
    const fetch = (async (_url: string | URL | Request, init?: RequestInit) => {
      sent.push(JSON.parse(typeof init?.body === 'string' ? init.body : 'null'));
      return new Response('ok', { status: 200 });
    }) as typeof globalThis.fetch;
    const a = await appWithReference({ fetch });
    const rule = {
      name: 'risk drift',
      condition: { type: 'drift_above', signal: 'risk' },
      action: { type: 'webhook', url: 'https://hooks.example.com/drift', secret: '0123456789abcdef-secret' },
    };
    expect((await call(a.base, 'POST', '/v1/alerts/rules', rule)).status).toBe(201);
    await scoreAll(a, stream('live-shifted', 150, 0.4), () => 'review');
    const metrics = await call(a.base, 'GET', '/metrics');
    const line = metrics.text.split('\n').find((l) => l.startsWith('churnscope_drift_psi{signal="risk"}'));
    expect(Number(line?.split(' ')[1])).toBeGreaterThan(1);
    // A second scrape within refreshSeconds reuses the report: no second delivery, the same value.
    const again = await call(a.base, 'GET', '/metrics');
    expect(again.text).toContain(line);
    await a.alerts.drain();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ rule: { name: 'risk drift' }, model: 'v1', signals: [{ name: 'risk' }] });
  });

  it('refuses a drift_above rule on an unknown signal, naming the field', async () => {
    const a = await appWithReference();
    const r = await call(a.base, 'POST', '/v1/alerts/rules', {
      name: 'bad',
      condition: { type: 'drift_above', signal: 'weather' },
      action: { type: 'webhook', url: 'https://hooks.example.com/drift', secret: '0123456789abcdef-secret' },
    });
    expect(r.status).toBe(400);
    expect(r.json.error.field).toBe('condition.signal');
  });
});
