// Right to be forgotten, end to end: texts written through the real API into a database file, DELETE /v1/customers/:id,
// then not one byte of them in the database file, its WAL or its shared-memory index.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertService, WebhookSender } from '../../src/alerts';
import { createApp } from '../../src/api';
import { ServiceMetrics } from '../../src/api/metrics';
import { DEFAULT_PLAYBOOK } from '../../src/config';
import { silentLogger } from '../../src/logging';
import { ModelRegistry } from '../../src/models';
import { Playbook } from '../../src/playbook';
import type { PrivacyPolicy } from '../../src/privacy';
import { SqliteStore } from '../../src/store';
import { call, fakeServingModel } from '../api/test-app';
import { tempDir } from './temp-store';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startFileApp(privacy: PrivacyPolicy) {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const file = path.join(dir, 'churnscope.db');
  const logger = silentLogger();
  const store = await SqliteStore.create({ path: file, logger });
  const models = new ModelRegistry({
    initial: fakeServingModel('v1'),
    open: async () => fakeServingModel('v1'),
    known: () => [],
    logger,
  });
  const metrics = new ServiceMetrics({ queueDepth: () => 0, activeModel: () => 'v1' });
  const delivered = async () => new Response('ok', { status: 200 });
  const alerts = new AlertService({
    store,
    sender: new WebhookSender({ fetch: delivered, backoffMs: 1, maxAttempts: 1 }),
    logger,
  });
  const app = createApp({
    models,
    store,
    playbook: await Playbook.fromFile(DEFAULT_PLAYBOOK),
    metrics,
    logger,
    alerts,
    privacy,
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  cleanups.push(async () => {
    await new Promise((r) => server.close(r));
    await alerts.drain();
    await models.dispose();
    await store.dispose();
  });
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, file, store, alerts };
}

/** Which of the markers occur, as UTF-8 bytes, in the database file or its -wal / -shm companions. */
async function markersOnDisk(file: string, markers: readonly string[]): Promise<string[]> {
  const bytes = await Promise.all(
    ['', '-wal', '-shm'].map(async (suffix) => (existsSync(file + suffix) ? readFile(file + suffix) : Buffer.alloc(0))),
  );
  return markers.filter((m) => bytes.some((b) => b.includes(Buffer.from(m, 'utf8'))));
}

describe.each(['full', 'redacted', 'none'] as const)('erasing a customer (privacy.storeText %s)', (storeText) => {
  it('leaves no trace of its texts, phrases, feedback or alerts in the database files', async () => {
    const app = await startFileApp({ storeText, snippetChars: 80 });
    const gone = 'cust-ZQX-erase-me';
    const words = ['QUOKKAZEPHYR', 'PLINTHBORSCHT', 'WOMBATFJORD'];
    const email = 'zelda.quokka@erase-me.example';
    // The rule fires on every text, so alert deliveries about the customer are logged too.
    const rule = await call(app.base, 'POST', '/v1/alerts/rules', {
      name: 'all',
      condition: { type: 'risk_above', threshold: 0 },
      action: { type: 'webhook', url: 'http://hooks.invalid/x', secret: 'a-secret-of-16-chars' },
      enabled: true,
    });
    expect(rule.status).toBe(201);
    const textIds: string[] = [];
    for (const word of words) {
      const scored = await call(app.base, 'POST', '/v1/score', {
        text: `Nice start. ${word} cancel refund never bill. Mail ${email} now.`,
        customerId: gone,
        explain: true,
      });
      expect(scored.status).toBe(200);
      expect(scored.json.drivers.phrases.length).toBeGreaterThan(0);
      textIds.push(scored.json.textId);
    }
    const kept = await call(app.base, 'POST', '/v1/score', {
      text: 'KEEPMARKERVOLE cancel please',
      customerId: 'cust-stays',
    });
    expect(
      (await call(app.base, 'POST', '/v1/feedback', { customerId: gone, outcome: 'churned', note: 'NOTEMARKERIBIS' }))
        .status,
    ).toBe(201);
    expect(
      (await call(app.base, 'POST', '/v1/feedback', { textId: textIds[0], outcome: 'override', overrideRisk: 0.2 }))
        .status,
    ).toBe(201);
    await app.alerts.drain();
    expect((await app.store.alertLog.list({ limit: 100 })).some((d) => d.customerId === gone)).toBe(true);

    // The controls: what is about to be erased is on disk now (in the WAL or the file), and so is the other customer.
    const before = await markersOnDisk(
      app.file,
      [...(storeText === 'none' ? [] : words), 'NOTEMARKERIBIS', gone, 'KEEPMARKERVOLE'].filter(
        (m) => storeText !== 'none' || m !== 'KEEPMARKERVOLE',
      ),
    );
    expect(before).toContain('NOTEMARKERIBIS');
    expect(before).toContain(gone);
    if (storeText !== 'none') expect(before).toEqual(expect.arrayContaining(words));
    if (storeText === 'full') expect(await markersOnDisk(app.file, [email])).toEqual([email]);

    expect((await call(app.base, 'DELETE', `/v1/customers/${gone}`)).status).toBe(204);

    const traces = [...words, email, 'zelda.quokka', 'NOTEMARKERIBIS', gone, ...textIds];
    expect(await markersOnDisk(app.file, traces)).toEqual([]);
    expect((await call(app.base, 'GET', `/v1/customers/${gone}/risk`)).status).toBe(404);
    for (const id of textIds) expect(await app.store.texts.get(id)).toBeNull();
    expect((await app.store.alertLog.list({ limit: 100 })).some((d) => d.customerId === gone)).toBe(false);
    // The WAL was checkpointed and truncated by the erase, and everyone else's data is still there.
    expect(existsSync(`${app.file}-wal`) ? (await readFile(`${app.file}-wal`)).length : 0).toBe(0);
    expect(await app.store.texts.get(kept.json.textId)).not.toBeNull();
    if (storeText !== 'none') expect(await markersOnDisk(app.file, ['KEEPMARKERVOLE'])).toEqual(['KEEPMARKERVOLE']);
  });
});

describe('what is stored of a scored text', () => {
  it('follows privacy.storeText for the text and its phrase drivers, through the API', async () => {
    const text = 'Fine weather today. Cancel refund never bill, call +44 20 7946 0958 or jo@ex.com now';
    for (const storeText of ['full', 'redacted', 'none'] as const) {
      const app = await startFileApp({ storeText, snippetChars: 40 });
      const scored = await call(app.base, 'POST', '/v1/score', { text, customerId: 'c1', explain: true });
      // Scoring and the response see the raw text whatever is stored.
      expect(scored.json.drivers.phrases.map((p: { text: string }) => p.text).join(' ')).toContain('jo@ex.com');
      const stored = await app.store.texts.get(scored.json.textId);
      const drivers = (await app.store.scores.latestForCustomer('c1'))!.drivers as {
        phrases: Array<{ text: string | null }>;
      };
      const history = await app.store.scores.history('c1', { limit: 1 });
      if (storeText === 'full') {
        expect(stored?.text).toBe(text);
        expect(drivers.phrases.map((p) => p.text).join(' ')).toContain('jo@ex.com');
      } else if (storeText === 'redacted') {
        expect(stored?.text).toBe('Fine weather today. Cancel refund never bill, call [PHONE] or [EMAIL] now');
        expect(JSON.stringify(drivers)).not.toMatch(/jo@ex|7946/);
        expect(drivers.phrases.map((p) => p.text).join(' ')).toContain('[EMAIL]');
      } else {
        expect(stored?.text).toBeNull();
        expect(drivers.phrases.every((p) => p.text === null)).toBe(true);
        expect(history[0].snippet).toBe('Fine weather today. Cancel refund never…');
      }
      expect(stored?.snippet).toBe('Fine weather today. Cancel refund never…');
      expect(await markersOnDisk(app.file, ['jo@ex.com', '7946 0958'])).toEqual(
        storeText === 'full' ? ['jo@ex.com', '7946 0958'] : [],
      );
    }
  });
});
