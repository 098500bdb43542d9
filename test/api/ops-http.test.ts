// Operations at the HTTP edge: security headers, request ids, access logs without texts or secrets, errors without internals.
import net from 'node:net';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../../src/api/error-handler';
import { requestLogging } from '../../src/api/request-logging';
import { ModelLoadError, OverloadedError } from '../../src/errors';
import { startTestApp, type TestApp } from './test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('security headers', () => {
  it("sends helmet headers and a CSP that allows only the app's own scripts and styles", async () => {
    const res = await fetch(`${app.base}/healthz`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('upgrade-insecure-requests');
  });
});

describe('request ids', () => {
  it('echoes a sane client id and replaces an unsafe one with a fresh UUID', async () => {
    const sane = await fetch(`${app.base}/healthz`, { headers: { 'x-request-id': 'lb-7f3a:42' } });
    expect(sane.headers.get('x-request-id')).toBe('lb-7f3a:42');
    for (const bad of ['has space', 'x'.repeat(129), '<script>', 'a"b']) {
      const res = await fetch(`${app.base}/healthz`, { headers: { 'x-request-id': bad } });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    const a = (await fetch(`${app.base}/healthz`)).headers.get('x-request-id');
    const b = (await fetch(`${app.base}/healthz`)).headers.get('x-request-id');
    expect(a).not.toBe(b);
  });
});

/** A mini app with the real middleware and error handler, logging JSON lines into `lines`. */
async function loggedApp(lines: Record<string, unknown>[]): Promise<{ base: string; server: Server }> {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const mini = express();
  mini.use(requestLogging(logger));
  mini.use(express.json());
  mini.post('/v1/echo', (req, res) => void res.json({ length: JSON.stringify(req.body).length }));
  mini.get('/boom', () => {
    throw new Error('secret internal detail at /srv/app/db.ts:12');
  });
  mini.get('/model', () => {
    throw new ModelLoadError('cannot read /srv/models/v7/model-card.json: EACCES');
  });
  mini.get('/busy', () => {
    throw new OverloadedError('engine queue is full; retry later', { retryAfterSeconds: 2.2 });
  });
  mini.use(errorHandler(logger));
  const server = mini.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('access logs', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => server?.close(r));
  });

  it('log method, path, status and duration under the request id, never the body, query or Authorization', async () => {
    const lines: Record<string, unknown>[] = [];
    const mini = await loggedApp(lines);
    server = mini.server;
    const res = await fetch(`${mini.base}/v1/echo?q=customer+says+SECRETWORDS`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer sk-live-TOPSECRET',
        'x-request-id': 'abc-1',
      },
      body: JSON.stringify({ text: 'my card is 4111 1111 1111 1111, PRIVATETEXT' }),
    });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    const access = lines.find((l) => l.msg === 'request');
    expect(access).toMatchObject({ reqId: 'abc-1', method: 'POST', path: '/v1/echo', status: 200 });
    expect(typeof access?.durationMs).toBe('number');
    const all = JSON.stringify(lines);
    for (const secret of ['SECRETWORDS', 'TOPSECRET', 'PRIVATETEXT', '4111']) expect(all).not.toContain(secret);
  });

  it('answer 500s without stack or message, and log them in full with the request id', async () => {
    const lines: Record<string, unknown>[] = [];
    const mini = await loggedApp(lines);
    server = mini.server;
    for (const route of ['/boom', '/model']) {
      const res = await fetch(`${mini.base}${route}`, { headers: { 'x-request-id': `id${route.slice(1)}` } });
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ error: { message: 'internal error; see server logs' } });
      expect(text).not.toMatch(/secret|\/srv|EACCES|at /);
    }
    await new Promise((r) => setTimeout(r, 20));
    const logged = lines.filter((l) => l.level === 50 && (l.err as { message?: string } | undefined)?.message);
    expect(logged.map((l) => l.reqId)).toEqual(expect.arrayContaining(['idboom', 'idmodel']));
    expect(JSON.stringify(logged)).toContain('EACCES');
  });

  it('answer overload with 503, the reason, and Retry-After in whole seconds', async () => {
    const mini = await loggedApp([]);
    server = mini.server;
    const res = await fetch(`${mini.base}/busy`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(await res.json()).toEqual({ error: { code: 'overloaded', message: 'engine queue is full; retry later' } });
  });
});

describe('requests the HTTP parser refuses', () => {
  it('get a JSON error too', async () => {
    const url = new URL(app.base);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => socket.write('NOT A REQUEST\r\n\r\n'));
      let data = '';
      socket.on('data', (c: Buffer) => (data += c.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(reply).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(reply.split('\r\n\r\n')[1])).toEqual({
      error: { code: 'bad_request', message: 'malformed HTTP request' },
    });
  });

  it('answers oversized headers with 431 as JSON', async () => {
    const res = await fetch(`${app.base}/healthz`, { headers: { 'x-filler': 'f'.repeat(20_000) } });
    expect(res.status).toBe(431);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('headers_too_large');
  });
});
