import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPayload, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../src/alerts';
import { call, startTestApp, type TestApp } from './test-app';

const SECRET = '0123456789abcdef-secret';
const received: { body: string; headers: Headers }[] = [];
let failuresLeft = 1;
// The webhook receiver: fails once (to exercise the retry), then accepts.
const fakeFetch = (async (_url: string | URL | Request, init?: RequestInit) => {
  if (failuresLeft-- > 0) return new Response('busy', { status: 503 });
  received.push({ body: typeof init?.body === 'string' ? init.body : '', headers: new Headers(init?.headers) });
  return new Response('ok', { status: 200 });
}) as typeof fetch;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ fetch: fakeFetch, extraModels: ['v2', 'broken-v3'] });
});
afterAll(() => app.close());

const rule = {
  name: 'high risk',
  condition: { type: 'risk_above', threshold: 0.6 },
  action: { type: 'webhook', url: 'https://hooks.example.com/churn', secret: SECRET },
};

describe('alert rules and deliveries', () => {
  it('supports CRUD and never returns the secret', async () => {
    const created = await call(app.base, 'POST', '/v1/alerts/rules', { ...rule, name: 'temp' });
    expect(created.status).toBe(201);
    expect(created.json.action.secret).toBe('***');
    const id = created.json.id;
    expect((await call(app.base, 'PATCH', `/v1/alerts/rules/${id}`, { enabled: false })).json.enabled).toBe(false);
    expect((await call(app.base, 'GET', '/v1/alerts/rules')).json.rules.map((r: { name: string }) => r.name)).toContain(
      'temp',
    );
    expect((await call(app.base, 'DELETE', `/v1/alerts/rules/${id}`)).status).toBe(204);
    expect((await call(app.base, 'GET', `/v1/alerts/rules/${id}`)).status).toBe(404);
  });

  it('delivers a signed webhook when a rule fires, retries, and logs the delivery', async () => {
    await call(app.base, 'POST', '/v1/alerts/rules', rule);
    await call(app.base, 'POST', '/v1/score', { text: 'cancel refund never', customerId: 'al-1' });
    await app.alerts.drain();
    expect(received).toHaveLength(1);
    const { body, headers } = received[0];
    expect(headers.get(SIGNATURE_HEADER)).toBe(signPayload(SECRET, headers.get(TIMESTAMP_HEADER)!, body));
    expect(JSON.parse(body)).toMatchObject({
      customerId: 'al-1',
      band: expect.any(String),
      rule: { name: 'high risk' },
    });
    const log = (await call(app.base, 'GET', '/v1/alerts/log')).json.deliveries;
    expect(log[0]).toMatchObject({ status: 'delivered', attempts: 2, customerId: 'al-1' });
  });

  it.each([
    ['an unknown condition', { ...rule, condition: { type: 'moon_phase' } }, 'condition.type'],
    ['a short secret', { ...rule, action: { ...rule.action, secret: 'short' } }, 'action.secret'],
    ['a non-http url', { ...rule, action: { ...rule.action, url: 'ftp://x.example.com' } }, 'action.url'],
    ['a threshold above 1', { ...rule, condition: { type: 'risk_above', threshold: 2 } }, 'condition.threshold'],
  ])('refuses a rule with %s', async (_name, body, field) => {
    const r = await call(app.base, 'POST', '/v1/alerts/rules', body);
    expect(r.status).toBe(400);
    expect(r.json.error.field).toBe(field);
  });
});

describe('models', () => {
  it('lists models and hot-swaps the active one', async () => {
    expect((await call(app.base, 'GET', '/v1/models')).json.active).toBe('v1');
    const swapped = await call(app.base, 'POST', '/v1/models/v2/activate');
    expect(swapped.json.active).toBe('v2');
    expect((await call(app.base, 'POST', '/v1/score', { text: 'hello' })).json.modelVersion).toBe('v2');
  });

  it('keeps the last good model when a swap fails, and 404s unknown versions', async () => {
    const failed = await call(app.base, 'POST', '/v1/models/broken-v3/activate');
    expect(failed.status).toBe(409);
    expect(failed.json.error.message).toMatch(/"broken-v3" could not be opened, "v2" keeps serving/);
    expect((await call(app.base, 'GET', '/v1/models')).json.active).toBe('v2');
    const unknown = await call(app.base, 'POST', '/v1/models/v9/activate');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toMatch(/known: v1, v2, broken-v3/);
    expect((await call(app.base, 'POST', '/v1/models/v1/activate')).json.active).toBe('v1');
  });
});

describe('conflicts', () => {
  it('answers a duplicate rule name with 409', async () => {
    const body = { ...rule, name: 'unique-name' };
    expect((await call(app.base, 'POST', '/v1/alerts/rules', body)).status).toBe(201);
    const again = await call(app.base, 'POST', '/v1/alerts/rules', body);
    expect(again.status).toBe(409);
    expect(again.json.error).toMatchObject({ code: 'conflict', field: 'name' });
  });
});
