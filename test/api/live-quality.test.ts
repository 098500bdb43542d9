// GET /v1/metrics/model per model version and source, and the auc_below alert, over the fake engine.
import { afterEach, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from './test-app';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const RISKY = 'cancel refund never bill';
const CALM = 'lovely snack great taste';

/** Scores a text and reports its outcome; returns nothing, the store keeps the pair. */
async function labelled(a: TestApp, text: string, source: string, outcome: 'churned' | 'retained'): Promise<void> {
  const scored = await call(a.base, 'POST', '/v1/score', { text, source, explain: false });
  expect(scored.status).toBe(200);
  expect((await call(a.base, 'POST', '/v1/feedback', { textId: scored.json.textId, outcome })).status).toBe(201);
}

describe('GET /v1/metrics/model', () => {
  it('reports overall figures and each model version split by source, with a bootstrap interval', async () => {
    app = await startTestApp();
    // Reviews: the risky words churn, the calm ones stay (ROC-AUC 1). Tickets: the other way round (ROC-AUC 0).
    for (let i = 0; i < 6; i++) {
      await labelled(app, `${RISKY} ${i}`, 'review', 'churned');
      await labelled(app, `${CALM} ${i}`, 'review', 'retained');
      await labelled(app, `${RISKY} ${i}`, 'ticket', 'retained');
      await labelled(app, `${CALM} ${i}`, 'ticket', 'churned');
    }
    const m = (await call(app.base, 'GET', '/v1/metrics/model')).json;
    expect(m).toMatchObject({ n: 24, positives: 12, rocAuc: 0.5 });
    expect(m.calibration).toHaveLength(10);
    expect(m.byModel).toHaveLength(1);
    const [v1] = m.byModel;
    expect(v1).toMatchObject({ modelVersion: 'v1', n: 24 });
    const bySource = Object.fromEntries(v1.bySource.map((s: { source: string }) => [s.source, s]));
    expect(bySource.review).toMatchObject({ n: 12, rocAuc: 1, prAuc: 1 });
    expect(bySource.ticket).toMatchObject({ n: 12, rocAuc: 0 });
    expect(v1.rocAucCi95.lo).toBeLessThanOrEqual(0.5);
    expect(v1.rocAucCi95.hi).toBeGreaterThanOrEqual(0.5);
    expect(v1.rocAucCi95.hi - v1.rocAucCi95.lo).toBeGreaterThan(0.1);
    expect(bySource.review.brier).toBeLessThan(bySource.ticket.brier);
  });
});

describe('auc_below alerts', () => {
  it('fire once per model and day when live ROC-AUC falls below the threshold with enough labels', async () => {
    const sent: { modelVersion: string; rocAuc: number; n: number }[] = [];
    const fetch = (async (_url: string | URL | Request, init?: RequestInit) => {
      sent.push(JSON.parse(typeof init?.body === 'string' ? init.body : 'null'));
      return new Response('ok', { status: 200 });
    }) as typeof globalThis.fetch;
    app = await startTestApp({ fetch });
    const rule = {
      name: 'auc drop',
      condition: { type: 'auc_below', threshold: 0.7, minLabels: 6 },
      action: { type: 'webhook', url: 'https://hooks.example.com/auc', secret: '0123456789abcdef-secret' },
    };
    expect((await call(app.base, 'POST', '/v1/alerts/rules', rule)).status).toBe(201);
    // Inverted outcomes: the model ranks every pair wrongly.
    for (let i = 0; i < 2; i++) {
      await labelled(app, `${RISKY} ${i}`, 'review', 'retained');
      await labelled(app, `${CALM} ${i}`, 'review', 'churned');
    }
    await app.alerts.drain();
    expect(sent).toHaveLength(0); // 4 labels < minLabels 6
    for (let i = 2; i < 5; i++) {
      await labelled(app, `${RISKY} ${i}`, 'review', 'retained');
      await labelled(app, `${CALM} ${i}`, 'review', 'churned');
    }
    await app.alerts.drain();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ modelVersion: 'v1', rocAuc: 0, rule: { name: 'auc drop' } });
    expect(sent[0].n).toBeGreaterThanOrEqual(6);
  });

  it('refuses an auc_below rule without a threshold in (0, 1], naming the field', async () => {
    app = await startTestApp();
    const r = await call(app.base, 'POST', '/v1/alerts/rules', {
      name: 'bad',
      condition: { type: 'auc_below', threshold: 1.5 },
      action: { type: 'webhook', url: 'https://hooks.example.com/auc', secret: '0123456789abcdef-secret' },
    });
    expect(r.status).toBe(400);
    expect(r.json.error.field).toBe('condition.threshold');
  });
});
