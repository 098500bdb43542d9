import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from './test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('POST /v1/score', () => {
  it('returns risk, band, drivers, actions and the model version, and stores the text', async () => {
    const r = await call(app.base, 'POST', '/v1/score', { text: 'Nice day. Cancel refund never bill.' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      band: expect.stringMatching(/high|critical/),
      tabularRisk: null,
      used: 'text',
      modelVersion: 'v1',
    });
    expect(r.json.risk).toBeGreaterThan(0.6);
    expect(r.json.drivers.phrases.length).toBeGreaterThan(0);
    expect(r.json.drivers.phrases[0].weight).toBeGreaterThan(0);
    expect(r.json.recommendedActions.map((a: { id: string }) => a.id)).toContain('plan-review-offer');
    expect(await app.store.texts.get(r.json.textId)).toMatchObject({ text: 'Nice day. Cancel refund never bill.' });
  });

  it('scores a batch in order, with drivers only for risky items', async () => {
    const r = await call(app.base, 'POST', '/v1/score', {
      items: [{ text: 'lovely tasty snack' }, { text: 'cancel cancel refund' }],
    });
    expect(r.status).toBe(200);
    expect(r.json.items.map((i: { band: string }) => i.band)).toEqual(['low', 'critical']);
    expect(r.json.items[0].drivers.phrases).toEqual([]);
  });

  it('skips phrase drivers on request', async () => {
    const r = await call(app.base, 'POST', '/v1/score', {
      text: 'Nice day. Cancel refund never bill.',
      explain: false,
    });
    expect(r.json.drivers.phrases).toEqual([]);
    expect(r.json.risk).toBeGreaterThan(0.6);
  });

  it('records history for a customer and returns it from /risk', async () => {
    await call(app.base, 'POST', '/v1/score', { text: 'cancel my plan', customerId: 'hist-1', source: 'chat' });
    await call(app.base, 'POST', '/v1/score', { text: 'all good now thanks', customerId: 'hist-1', source: 'ticket' });
    const r = await call(app.base, 'GET', '/v1/customers/hist-1/risk');
    expect(r.status).toBe(200);
    expect(r.json.history.map((h: { source: string }) => h.source)).toEqual(['ticket', 'chat']);
    expect(r.json.textRisk.count).toBe(2);
  });

  it.each([
    ['malformed JSON', '{bad', 400, 'invalid_json', undefined],
    ['a non-object body', '[1,2]', 400, 'invalid_input', 'body'],
    ['a number as text', JSON.stringify({ text: 5 }), 400, 'invalid_input', 'text'],
    ['blank text', JSON.stringify({ text: '   ' }), 400, 'invalid_input', 'text'],
    ['a blank item', JSON.stringify({ items: [{ text: 'ok' }, { text: '' }] }), 400, 'invalid_input', 'items[1].text'],
    ['no items', JSON.stringify({ items: [] }), 400, 'invalid_input', 'items'],
    [
      '257 items',
      JSON.stringify({ items: Array.from({ length: 257 }, () => ({ text: 'a' })) }),
      400,
      'invalid_input',
      'items',
    ],
    ['oversized text', JSON.stringify({ text: 'x'.repeat(2001) }), 413, 'payload_too_large', 'text'],
    ['oversized body', JSON.stringify({ text: 'x'.repeat(30_000) }), 413, 'payload_too_large', undefined],
    ['an unknown source', JSON.stringify({ text: 'ok', source: 'email' }), 400, 'invalid_input', 'source'],
    [
      'features of the wrong type',
      JSON.stringify({ text: 'ok', features: { a: [1] } }),
      400,
      'invalid_input',
      'features.a',
    ],
  ])('answers %s with %s %s', async (_name, body, status, code, field) => {
    const r = await call(app.base, 'POST', '/v1/score', body);
    expect(r.status).toBe(status);
    expect(r.json.error.code).toBe(code);
    if (field) expect(r.json.error.field).toBe(field);
    expect(r.json.error.message).toEqual(expect.any(String));
  });
});

describe('service endpoints', () => {
  it('serves health, readiness, metrics and the OpenAPI document', async () => {
    expect((await call(app.base, 'GET', '/healthz')).json).toEqual({ status: 'ok' });
    expect((await call(app.base, 'GET', '/readyz')).json).toMatchObject({ status: 'ready', model: 'v1' });
    const metrics = await call(app.base, 'GET', '/metrics');
    expect(metrics.text).toMatch(
      /churnscope_http_requests_total\{method="POST",route="\/v1\/score",status="200"\} \d+/,
    );
    expect(metrics.text).toMatch(/churnscope_engine_batch_size_bucket/);
    // Process metrics carry the service prefix once (not churnscope_process_process_…).
    expect(metrics.text).toMatch(/^churnscope_process_cpu_seconds_total \d/m);
    expect(metrics.text).not.toMatch(/process_process/);
    expect(metrics.text).toMatch(/churnscope_active_model_info\{version="v1"\} 1/);
    // Admission's share of maxQueueWaitMs is sampled from the app's own ScoreAdmission (0.5 until a late drop).
    expect(metrics.text).toMatch(/^churnscope_admission_fraction 0\.5$/m);
    const doc = (await call(app.base, 'GET', '/openapi.json')).json;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.schemas.ScoreItem.properties.source.enum).toEqual(['feedback', 'review', 'chat', 'ticket']);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/score', '/v1/customers/{id}', '/v1/feedback', '/v1/alerts/rules', '/v1/models']),
    );
  });

  it('answers unknown routes with a JSON 404', async () => {
    const r = await call(app.base, 'GET', '/v1/nope');
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('not_found');
  });
});
