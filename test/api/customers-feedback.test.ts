import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from './test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('customers', () => {
  it('creates, reads, replaces and erases a customer with every text and score', async () => {
    expect(
      (await call(app.base, 'PUT', '/v1/customers/c-1', { features: { plan: 'pro', spend: 120 }, segment: 'smb' }))
        .status,
    ).toBe(200);
    expect((await call(app.base, 'GET', '/v1/customers/c-1')).json).toMatchObject({
      id: 'c-1',
      features: { plan: 'pro', spend: 120 },
      segment: 'smb',
    });
    await call(app.base, 'PUT', '/v1/customers/c-1', { features: { plan: 'basic' } });
    expect((await call(app.base, 'GET', '/v1/customers/c-1')).json.features).toEqual({ plan: 'basic' });
    const scored = await call(app.base, 'POST', '/v1/score', { text: 'cancel this', customerId: 'c-1' });
    expect((await call(app.base, 'DELETE', '/v1/customers/c-1')).status).toBe(204);
    expect((await call(app.base, 'GET', '/v1/customers/c-1')).status).toBe(404);
    expect((await call(app.base, 'GET', '/v1/customers/c-1/risk')).status).toBe(404);
    expect(await app.store.texts.get(scored.json.textId)).toBeNull();
  });

  it('imports customers from CSV, all or nothing', async () => {
    const ok = await call(
      app.base,
      'POST',
      '/v1/customers/import',
      'customer_id,plan,segment\nimp-1,pro,smb\nimp-2,basic,\n',
      'text/csv',
    );
    expect(ok.json).toEqual({ imported: 2 });
    expect((await call(app.base, 'GET', '/v1/customers/imp-2')).json).toMatchObject({
      features: { plan: 'basic' },
      segment: null,
    });
    const bad = await call(
      app.base,
      'POST',
      '/v1/customers/import',
      'customer_id,plan\nimp-3,pro\n,basic\n',
      'text/csv',
    );
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/row 3: column "customer_id" is missing or empty/);
    expect((await call(app.base, 'GET', '/v1/customers/imp-3')).status).toBe(404);
  });

  it.each([
    ['PUT without features', 'PUT', '/v1/customers/x', { segment: 'a' }, 400, 'features'],
    ['PUT with a bad id', 'PUT', '/v1/customers/bad%20id', { features: {} }, 400, 'id'],
    ['GET of an unknown customer', 'GET', '/v1/customers/nobody', undefined, 404, 'id'],
    ['DELETE of an unknown customer', 'DELETE', '/v1/customers/nobody', undefined, 404, 'id'],
    ['import of an empty body', 'POST', '/v1/customers/import', '', 400, 'body'],
  ])('refuses %s', async (_name, method, path, body, status, field) => {
    const r = await call(app.base, method, path, body, path.endsWith('import') ? 'text/csv' : 'application/json');
    expect(r.status).toBe(status);
    expect(r.json.error.field).toBe(field);
  });
});

describe('feedback and live metrics', () => {
  it('computes ROC-AUC from outcomes joined to scores', async () => {
    const texts = ['cancel refund never bill', 'cancel refund', 'lovely snack', 'great taste thanks'];
    const outcomes = ['churned', 'churned', 'retained', 'retained'];
    for (let i = 0; i < texts.length; i++) {
      const scored = await call(app.base, 'POST', '/v1/score', { text: texts[i], customerId: `fb-${i}` });
      expect(
        (await call(app.base, 'POST', '/v1/feedback', { textId: scored.json.textId, outcome: outcomes[i] })).status,
      ).toBe(201);
    }
    const m = (await call(app.base, 'GET', '/v1/metrics/model')).json;
    expect(m).toMatchObject({ n: 4, positives: 2, rocAuc: 1 });
    expect(m.calibration).toHaveLength(10);
  });

  it.each([
    ['no target', { outcome: 'churned' }, 400, 'customerId'],
    ['an unknown outcome', { customerId: 'fb-0', outcome: 'maybe' }, 400, 'outcome'],
    ['an override without a risk', { customerId: 'fb-0', outcome: 'override' }, 400, 'overrideRisk'],
    ['an unknown text', { textId: 'nope', outcome: 'churned' }, 404, 'textId'],
    ['an unknown customer', { customerId: 'ghost', outcome: 'retained' }, 404, 'customerId'],
  ])('refuses feedback with %s', async (_name, body, status, field) => {
    const r = await call(app.base, 'POST', '/v1/feedback', body);
    expect(r.status).toBe(status);
    expect(r.json.error.field).toBe(field);
  });
});
