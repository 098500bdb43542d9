import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api';
import { engineDefaults } from '../../src/config';
import { FakeTextModel, InferenceEngine } from '../../src/engine';
import { silentLogger } from '../../src/logging';
import { RiskCalibrator } from '../../src/score';

// In-process app over the fake model: HTTP behaviour without loading weights.
const tokenizer = {
  async encodeBatch(texts: string[]) {
    return texts.map((t) => ({ ids: Int32Array.from(t.split(/\s+/).filter(Boolean).map((w) => (w === 'cancel' ? 1 : 10 + w.length))) }));
  },
};
let server: Server;
let base: string;

beforeAll(async () => {
  const engine = new InferenceEngine({ model: new FakeTextModel({ riskyIds: [1] }), tokenizer, config: engineDefaults({ maxTextBytes: 1000 }), logger: silentLogger() });
  const calibrator = new RiskCalibrator({ calibration: { method: 'platt', a: 1, b: 0 }, bands: { medium: 0.3, high: 0.6, critical: 0.9 } });
  const app = createApp({ engine, calibrator, logger: silentLogger(), modelVersion: 'test-1', bodyLimit: '10kb' });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

const post = (body: string) => fetch(`${base}/v1/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('POST /v1/score', () => {
  it('scores one text with risk, band and model version', async () => {
    const res = await post(JSON.stringify({ text: 'cancel cancel now' }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body).toMatchObject({ band: 'high', tabularRisk: null, modelVersion: 'test-1' });
    expect(body.risk).toBeGreaterThan(0.6);
  });

  it('scores items in order', async () => {
    const res = await post(JSON.stringify({ items: [{ text: 'hello there' }, { text: 'cancel' }] }));
    const body = (await res.json()) as Record<string, any>;
    expect(body.items.map((i: { band: string }) => i.band)).toEqual(['low', 'high']);
  });

  it.each([
    ['malformed JSON', '{bad', 400, 'invalid_json', undefined],
    ['a non-object body', '[1,2]', 400, 'invalid_input', 'body'],
    ['a number as text', JSON.stringify({ text: 5 }), 400, 'invalid_input', 'text'],
    ['blank text', JSON.stringify({ text: '   ' }), 400, 'invalid_input', 'text'],
    ['a blank item', JSON.stringify({ items: [{ text: 'ok' }, { text: '' }] }), 400, 'invalid_input', 'items[1].text'],
    ['no items', JSON.stringify({ items: [] }), 400, 'invalid_input', 'items'],
    ['257 items', JSON.stringify({ items: Array.from({ length: 257 }, () => ({ text: 'a' })) }), 400, 'invalid_input', 'items'],
    ['oversized text', JSON.stringify({ text: 'x'.repeat(1001) }), 413, 'payload_too_large', 'text'],
    ['oversized body', JSON.stringify({ text: 'x'.repeat(20_000) }), 413, 'payload_too_large', undefined],
    ['an unknown source', JSON.stringify({ text: 'ok', source: 'email' }), 400, 'invalid_input', 'source'],
  ])('answers %s with %i %s', async (_name, body, status, code, field) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    const json = (await res.json()) as { error: Record<string, unknown> };
    expect(json.error.code).toBe(code);
    if (field) expect(json.error.field).toBe(field);
    expect(json.error.message).toEqual(expect.any(String));
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await fetch(`${base}/v1/nope`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});
