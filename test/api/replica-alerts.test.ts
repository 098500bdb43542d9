// Two API replicas on one PostgreSQL database scoring the same words at once: the alert webhook is delivered once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging';
import { PostgresStore } from '../../src/store';
import { testDatabaseFor } from '../store/pg-test-database';
import { call, startTestApp, type TestApp } from './test-app';

const { db, skip } = await testDatabaseFor('PostgreSQL replica alert tests');
const apps: TestApp[] = [];
const received: unknown[] = [];
let receiver: Server | undefined;
afterAll(async () => {
  for (const app of apps) await app.close();
  await new Promise((r) => (receiver ? receiver.close(r) : r(undefined)));
  await db?.drop();
});

async function replica(): Promise<TestApp> {
  const store = await PostgresStore.create({ url: db!.url, display: db!.name, logger: silentLogger() });
  const app = await startTestApp({ store });
  apps.push(app);
  return app;
}

/** A webhook receiver that answers slowly, so both replicas are surely evaluating the rule while it works. */
async function startReceiver(): Promise<string> {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body));
      setTimeout(() => res.writeHead(204).end(), 50);
    });
  });
  await new Promise<void>((r) => receiver!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
}

describe.skipIf(skip !== undefined)(`alerts across replicas${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('the same text scored on two replicas concurrently is delivered exactly once', async () => {
    const url = await startReceiver();
    const [a, b] = [await replica(), await replica()];
    await a.store.alertRules.create({
      name: 'any risk',
      condition: { type: 'risk_above', threshold: 0 },
      action: { type: 'webhook', url, secret: 'a-secret-of-16-chars' },
      enabled: true,
    });
    const body = { text: 'I will cancel and want a refund', customerId: 'c-42' };
    const replies = await Promise.all([a, b, a, b].map((app) => call(app.base, 'POST', '/v1/score', body)));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await Promise.all([a.alerts.drain(), b.alerts.drain()]);
    expect(received).toHaveLength(1);
    const log = await b.store.alertLog.list({ limit: 10 });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ status: 'delivered', customerId: 'c-42' });

    // Other words, or the same words about another customer, are other alerts.
    await call(b.base, 'POST', '/v1/score', { ...body, text: 'never billing me again' });
    await call(a.base, 'POST', '/v1/score', { ...body, customerId: 'c-43' });
    await Promise.all([a.alerts.drain(), b.alerts.drain()]);
    expect(received).toHaveLength(3);
  });
});
