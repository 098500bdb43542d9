import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api';
import { ServiceMetrics } from '../../src/api/metrics';
import { DEFAULT_MODEL_DIR, DEFAULT_PLAYBOOK } from '../../src/config';
import { silentLogger } from '../../src/logging';
import { ModelRegistry } from '../../src/models';
import { Playbook } from '../../src/playbook';
import { SqliteStore, type Band, type Store, type TextSource } from '../../src/store';
import { call, fakeServingModel, startTestApp, type TestApp } from './test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

let seq = 0;
/** A stored text with one score, written straight to the store so risks and dates are exact. */
async function scored(
  store: Store,
  t: { risk: number; at: string; source?: TextSource; customerId?: string; band?: Band; drivers?: unknown },
): Promise<string> {
  const textId = await store.texts.insert({
    customerId: t.customerId ?? null,
    source: t.source ?? 'review',
    text: `text ${++seq}`,
    hash: `h${seq}`,
    createdAt: t.at,
  });
  await store.scores.insert({
    textId,
    modelVersion: 'v1',
    risk: t.risk,
    textRisk: t.risk,
    tabularRisk: null,
    band: t.band ?? 'low',
    drivers: t.drivers ?? { phrases: [], features: [] },
    createdAt: t.at,
  });
  return textId;
}

describe('GET /v1/stats/risk-distribution', () => {
  it('has every bin, empty ones at zero, before anything is scored', async () => {
    const r = await call(app.base, 'GET', '/v1/stats/risk-distribution?bins=5');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      total: 0,
      bins: [0, 1, 2, 3, 4].map((i) => ({ from: i / 5, to: (i + 1) / 5, count: 0 })),
    });
    expect((await call(app.base, 'GET', '/v1/stats/risk-distribution')).json.bins).toHaveLength(20);
  });

  it('counts each text once by its newest score, puts risk 1 in the last bin, and filters by date and source', async () => {
    const store = app.store;
    await scored(store, { risk: 0.1, at: '2026-03-02T08:00:00Z', source: 'ticket' });
    await scored(store, { risk: 0.3, at: '2026-03-03T23:59:00Z' });
    await scored(store, { risk: 0.3, at: '2026-03-04T00:00:00Z' });
    await scored(store, { risk: 1, at: '2026-03-05T10:00:00Z', source: 'chat' });
    const rescored = await scored(store, { risk: 0.05, at: '2026-03-05T11:00:00Z' });
    await store.scores.insert({
      textId: rescored,
      modelVersion: 'v2',
      risk: 0.9,
      textRisk: 0.9,
      tabularRisk: null,
      band: 'critical',
      drivers: null,
      createdAt: '2026-03-06T00:00:00Z',
    });

    const counts = async (query: string) => {
      const r = await call(app.base, 'GET', `/v1/stats/risk-distribution?bins=4${query}`);
      expect(r.status).toBe(200);
      return { counts: r.json.bins.map((b: { count: number }) => b.count), total: r.json.total };
    };
    expect(await counts('')).toEqual({ counts: [1, 2, 0, 2], total: 5 });
    expect(await counts('&source=review')).toEqual({ counts: [0, 2, 0, 1], total: 3 });
    // A date-only `to` includes that whole day; `from` starts at its midnight.
    expect(await counts('&from=2026-03-03&to=2026-03-03')).toEqual({ counts: [0, 1, 0, 0], total: 1 });
    expect(await counts('&from=2026-03-04T00:00:00Z')).toEqual({ counts: [0, 1, 0, 2], total: 3 });
    // The one timestamp rule of data files applies to queries too: zone-less means UTC, epoch seconds and ms work.
    const epoch = Date.parse('2026-03-04T00:00:00Z');
    for (const same of ['2026-03-04T00:00:00', String(epoch / 1000), String(epoch)])
      expect(await counts(`&from=${same}`)).toEqual({ counts: [0, 1, 0, 2], total: 3 });
    expect(await counts('&to=2026-03-05T10:00:00Z')).toEqual({ counts: [1, 2, 0, 1], total: 4 });
  });

  it.each([
    ['bins=0', 'query.bins'],
    ['bins=101', 'query.bins'],
    ['bins=ten', 'query.bins'],
    ['source=email', 'query.source'],
    ['from=yesterday', 'query.from'],
    ['from=March 3', 'query.from'],
    ['to=2026-02-30', 'query.to'],
    ['from=soon&to=2026-03-01', 'query.from'],
    ['from=2026-03-01&to=Infinity', 'query.to'],
    ['from=2026-03-05&to=2026-03-01', 'query.to'],
  ])('refuses %s with 400 naming the field', async (query, field) => {
    const r = await call(app.base, 'GET', `/v1/stats/risk-distribution?${query}`);
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'invalid_input', field });
  });
});

describe('GET /v1/customers/at-risk', () => {
  it('lists customers riskiest first by the score of their newest text, with segment and the drivers that raise risk', async () => {
    const local = await startTestApp();
    try {
      const { store } = local;
      await store.customers.upsert({ id: 'acme', features: {}, segment: 'enterprise' });
      await store.customers.upsert({ id: 'no-texts', features: {}, segment: 'smb' });
      // acme's older text was riskier; the newest one is what counts.
      await scored(store, { customerId: 'acme', risk: 0.95, at: '2026-03-01T00:00:00Z', band: 'critical' });
      await scored(store, {
        customerId: 'acme',
        risk: 0.7,
        at: '2026-03-08T00:00:00Z',
        band: 'high',
        drivers: {
          phrases: [
            { text: 'never answers', start: 0, end: 13, weight: 0.2 },
            { text: 'thanks', start: 14, end: 20, weight: -0.1 },
            { text: 'price up', start: 21, end: 29, weight: 0.3 },
          ],
          features: [
            { feature: 'tickets_30d', value: 9, contribution: 0.8 },
            { feature: 'tenure', value: 40, contribution: -0.5 },
          ],
        },
      });
      await scored(store, { customerId: 'zeta', risk: 0.9, at: '2026-03-02T00:00:00Z', band: 'critical' });
      await scored(store, { customerId: 'calm', risk: 0.1, at: '2026-03-09T00:00:00Z' });
      await scored(store, { risk: 0.99, at: '2026-03-09T00:00:00Z' });

      const r = await call(local.base, 'GET', '/v1/customers/at-risk');
      expect(r.status).toBe(200);
      expect(r.json.customers.map((c: { id: string }) => c.id)).toEqual(['zeta', 'acme', 'calm']);
      expect(r.json.customers[1]).toEqual({
        id: 'acme',
        risk: 0.7,
        band: 'high',
        segment: 'enterprise',
        lastTextAt: '2026-03-08T00:00:00.000Z',
        drivers: [
          { kind: 'phrase', label: 'price up', weight: 0.3 },
          { kind: 'phrase', label: 'never answers', weight: 0.2 },
          { kind: 'feature', label: 'tickets_30d', weight: 0.8, value: 9 },
        ],
      });
      expect(r.json.customers[0]).toMatchObject({ segment: null, drivers: [] });
      expect((await call(local.base, 'GET', '/v1/customers/at-risk?limit=1')).json.customers).toHaveLength(1);
    } finally {
      await local.close();
    }
  });

  it('is not read as a customer called "at-risk", and refuses a bad limit', async () => {
    expect((await call(app.base, 'GET', '/v1/customers/at-risk')).json).toHaveProperty('customers');
    for (const limit of ['0', '201', 'many']) {
      const r = await call(app.base, 'GET', `/v1/customers/at-risk?limit=${limit}`);
      expect(r.status).toBe(400);
      expect(r.json.error.field).toBe('query.limit');
    }
  });
});

describe('GET /v1/models/active/card', () => {
  let dir: string;
  let server: Server;
  let base: string;
  let models: ModelRegistry;
  let store: SqliteStore;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'churnscope-card-'));
    const logger = silentLogger();
    store = await SqliteStore.create({ path: ':memory:', logger });
    const bundle = (name: string) => path.join(dir, name);
    // Fake engines, real bundle folders: only where the card is read from matters here.
    const open = async (d: string) => ({ ...fakeServingModel(path.basename(d)), dir: d });
    models = new ModelRegistry({
      initial: await open(bundle('with-card')),
      open,
      known: () => ['no-card', 'bad-card'].map((v) => ({ version: v, dir: bundle(v) })),
      logger,
    });
    for (const name of ['with-card', 'no-card', 'bad-card']) mkdirSync(bundle(name));
    copyFileSync(path.join(DEFAULT_MODEL_DIR, 'model-card.json'), path.join(bundle('with-card'), 'model-card.json'));
    writeFileSync(path.join(bundle('bad-card'), 'model-card.json'), '{"version": ');
    const metrics = new ServiceMetrics({ queueDepth: () => 0, activeModel: () => models.active().version });
    server = createApp({ models, store, playbook: await Playbook.fromFile(DEFAULT_PLAYBOOK), metrics, logger }).listen(
      0,
      '127.0.0.1',
    );
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await models.dispose();
    await store.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the active bundle's model card, and follows a hot swap", async () => {
    const r = await call(base, 'GET', '/v1/models/active/card');
    expect(r.status).toBe(200);
    expect(r.json.metrics.overall.rocAuc).toBeGreaterThan(0.5);
    expect(r.json.curves.roc.fpr.length).toBe(r.json.curves.roc.tpr.length);

    await models.activate('no-card');
    const missing = await call(base, 'GET', '/v1/models/active/card');
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toMatch(/"no-card" has no model-card\.json/);

    await models.activate('bad-card');
    const bad = await call(base, 'GET', '/v1/models/active/card');
    expect(bad.status).toBe(500);
    // A broken bundle is the server's fault: 500, with details in the log rather than the response.
    expect(bad.json.error).toMatchObject({ code: 'model_load_failed' });
  });

  it('answers 404 for a fake model without a bundle folder', async () => {
    const r = await call(app.base, 'GET', '/v1/models/active/card');
    expect(r.status).toBe(404);
    expect(r.json.error.message).toMatch(/has no model-card\.json/);
  });
});

describe('OpenAPI', () => {
  it('documents the dashboard endpoints with their query parameters', async () => {
    const doc = (await call(app.base, 'GET', '/openapi.json')).json;
    const names = (p: string) => doc.paths[p].get.parameters.map((x: { name: string }) => x.name);
    expect(names('/v1/stats/risk-distribution')).toEqual(['bins', 'from', 'to', 'source']);
    expect(names('/v1/customers/at-risk')).toEqual(['limit']);
    expect(doc.paths['/v1/models/active/card'].get.responses).toHaveProperty('404');
  });
});
