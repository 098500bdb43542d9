// HTTP auth matrix over the real app: no key, malformed, wrong, revoked, wrong scope → 401/403; public routes; rate limits.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, type Scope } from '../../src/auth';
import { startTestApp, type TestApp } from './test-app';

interface Reply {
  status: number;
  headers: Headers;
  json: any;
}

async function send(
  base: string,
  method: string,
  path: string,
  opts: { key?: string; authorization?: string; body?: unknown; raw?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (opts.key !== undefined) headers.authorization = `Bearer ${opts.key}`;
  if (opts.authorization !== undefined) headers.authorization = opts.authorization;
  if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json };
}

/** One route per scope, each with a request that succeeds when allowed. */
const routes: { name: string; method: string; path: string; body?: unknown; scope: Scope }[] = [
  { name: 'score a text', method: 'POST', path: '/v1/score', body: { text: 'please cancel my plan' }, scope: 'score' },
  {
    name: 'upload features',
    method: 'PUT',
    path: '/v1/customers/c-9',
    body: { features: { seats: 3 } },
    scope: 'score',
  },
  { name: 'read models', method: 'GET', path: '/v1/models', scope: 'read' },
  { name: 'read the alert log', method: 'GET', path: '/v1/alerts/log', scope: 'read' },
  { name: 'list jobs', method: 'GET', path: '/v1/jobs', scope: 'read' },
  { name: 'list alert rules', method: 'GET', path: '/v1/alerts/rules', scope: 'admin' },
  { name: 'activate a model', method: 'POST', path: '/v1/models/v1/activate', scope: 'admin' },
];

describe('authentication (keys required)', () => {
  let app: TestApp;
  const keys = {} as Record<'score' | 'read' | 'admin' | 'both' | 'revoked', string>;
  let revokedId: string;

  beforeAll(async () => {
    app = await startTestApp({ auth: { enforcement: 'always' } });
    for (const scope of ['score', 'read', 'admin'] as const)
      keys[scope] = (await createApiKey(app.store.apiKeys, { name: scope, scopes: [scope] })).token;
    keys.both = (await createApiKey(app.store.apiKeys, { name: 'both', scopes: ['score', 'read'] })).token;
    const revoked = await createApiKey(app.store.apiKeys, { name: 'old', scopes: ['admin'] });
    keys.revoked = revoked.token;
    revokedId = revoked.record.id;
    await app.store.apiKeys.revoke(revokedId);
  });
  afterAll(() => app.close());

  it.each(routes)('$method $path without a key → 401 with WWW-Authenticate: Bearer', async (r) => {
    const res = await send(app.base, r.method, r.path, { body: r.body });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    expect(res.json.error).toMatchObject({
      code: 'unauthorized',
      message: expect.stringMatching(/Authorization: Bearer/),
    });
  });

  it.each([
    ['another scheme', 'Basic dXNlcjpwYXNz', /must be "Bearer <API key>"/],
    ['Bearer without a key', 'Bearer', /must be "Bearer <API key>"/],
    ['two tokens', 'Bearer a b', /must be "Bearer <API key>"/],
    ['not a churnscope key', 'Bearer sk-1234', /not a churnscope key/],
    ['a truncated key', 'Bearer csk_0123456789abcdef_short', /not a churnscope key/],
  ])('a malformed header (%s) → 401', async (_name, authorization, message) => {
    const res = await send(app.base, 'GET', '/v1/models', { authorization });
    expect(res.status).toBe(401);
    expect(res.json.error.message).toMatch(message);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  });

  it('a wrong key → 401: a well-formed unknown key, and a known id with the wrong secret, get the same answer', async () => {
    const unknown = await send(app.base, 'GET', '/v1/models', { key: `csk_ffffffffffffffff_${'a'.repeat(43)}` });
    const admin = keys.admin;
    const lastChar = admin.at(-1) === 'A' ? 'B' : 'A';
    const wrongSecret = await send(app.base, 'GET', '/v1/models', { key: `${admin.slice(0, -1)}${lastChar}` });
    for (const res of [unknown, wrongSecret]) {
      expect(res.status).toBe(401);
      expect(res.json.error).toEqual({ code: 'unauthorized', message: 'invalid API key', field: 'authorization' });
    }
  });

  it('the scheme name is case-insensitive, as HTTP says', async () => {
    expect((await send(app.base, 'GET', '/v1/models', { authorization: `bearer ${keys.read}` })).status).toBe(200);
  });

  it('a revoked key → 401 naming the revocation', async () => {
    const res = await send(app.base, 'GET', '/v1/models', { key: keys.revoked });
    expect(res.status).toBe(401);
    expect(res.json.error.message).toMatch(new RegExp(`API key ${revokedId} was revoked at \\d{4}-`));
  });

  it('a key revoked while the server runs is refused from the next request on', async () => {
    const { token, record } = await createApiKey(app.store.apiKeys, { name: 'short-lived', scopes: ['read'] });
    expect((await send(app.base, 'GET', '/v1/models', { key: token })).status).toBe(200);
    await app.store.apiKeys.revoke(record.id);
    expect((await send(app.base, 'GET', '/v1/models', { key: token })).status).toBe(401);
  });

  it.each(routes)('$method $path: the right scope and admin pass, other scopes get 403', async (r) => {
    for (const held of ['score', 'read', 'admin'] as const) {
      const res = await send(app.base, r.method, r.path, { key: keys[held], body: r.body });
      if (held === r.scope || held === 'admin') {
        expect(res.status, `${held} key on ${r.method} ${r.path}: ${JSON.stringify(res.json)}`).toBeGreaterThanOrEqual(
          200,
        );
        expect(res.status).toBeLessThan(300);
      } else {
        expect(res.status, `${held} key on ${r.method} ${r.path}`).toBe(403);
        expect(res.json.error.code).toBe('forbidden');
        expect(res.json.error.message).toContain(`needs scope "${r.scope}"`);
        expect(res.json.error.message).toContain(`has ${held}`);
      }
    }
  });

  it('a key with several scopes has each of them, and not admin', async () => {
    expect((await send(app.base, 'POST', '/v1/score', { key: keys.both, body: { text: 'fine' } })).status).toBe(200);
    expect((await send(app.base, 'GET', '/v1/models', { key: keys.both })).status).toBe(200);
    const res = await send(app.base, 'GET', '/v1/alerts/rules', { key: keys.both });
    expect(res.status).toBe(403);
    expect(res.json.error.message).toMatch(/needs scope "admin".*has score, read/);
  });

  it('erasing a customer needs admin, not score', async () => {
    expect(
      (await send(app.base, 'PUT', '/v1/customers/c-erase', { key: keys.score, body: { features: {} } })).status,
    ).toBe(200);
    expect((await send(app.base, 'DELETE', '/v1/customers/c-erase', { key: keys.score })).status).toBe(403);
    expect((await send(app.base, 'DELETE', '/v1/customers/c-erase', { key: keys.admin })).status).toBe(204);
  });

  it('unknown /v1 routes need admin: others get 403, admin gets the 404', async () => {
    expect((await send(app.base, 'GET', '/v1/nothing-here', { key: keys.read })).status).toBe(403);
    expect((await send(app.base, 'GET', '/v1/nothing-here', { key: keys.admin })).status).toBe(404);
    expect((await send(app.base, 'GET', '/v1/nothing-here')).status).toBe(401);
  });

  it('paths written in another case are guarded like the routes Express sends them to', async () => {
    expect((await send(app.base, 'GET', '/V1/Models')).status).toBe(401);
    expect((await send(app.base, 'GET', '/V1/Models', { key: keys.read })).status).toBe(200);
    expect((await send(app.base, 'GET', '/v1/models/', { key: keys.score })).status).toBe(403);
  });

  it('authentication comes before the body is parsed: a broken body without a key is a 401, not a 400', async () => {
    const res = await send(app.base, 'POST', '/v1/score', { raw: '{"text": ' });
    expect(res.status).toBe(401);
  });

  it.each([['/healthz'], ['/readyz'], ['/openapi.json'], ['/metrics'], ['/']])(
    'public route %s needs no key',
    async (path) => {
      expect((await send(app.base, 'GET', path)).status).toBe(200);
    },
  );

  it('an invalid key on a public route does not matter', async () => {
    expect((await send(app.base, 'GET', '/healthz', { authorization: 'Basic nope' })).status).toBe(200);
  });
});

describe('/metrics configured as private', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ auth: { enforcement: 'always', publicMetrics: false } });
  });
  afterAll(() => app.close());

  it('needs a read key', async () => {
    expect((await send(app.base, 'GET', '/metrics')).status).toBe(401);
    const { token } = await createApiKey(app.store.apiKeys, { name: 'prometheus', scopes: ['read'] });
    const res = await fetch(`${app.base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^# HELP/m);
  });
});

describe('authentication once keys exist (loopback default)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ auth: { enforcement: 'once-keys-exist' } });
  });
  afterAll(() => app.close());

  it('is open while no key exists, and enforced from the moment the first one is created', async () => {
    expect((await send(app.base, 'GET', '/v1/models')).status).toBe(200);
    const { token, record } = await createApiKey(app.store.apiKeys, { name: 'first', scopes: ['read'] });
    expect((await send(app.base, 'GET', '/v1/models')).status).toBe(401);
    expect((await send(app.base, 'GET', '/v1/models', { key: token })).status).toBe(200);
    // Revoking the last key must not reopen the server.
    await app.store.apiKeys.revoke(record.id);
    expect((await send(app.base, 'GET', '/v1/models')).status).toBe(401);
  });
});

describe('rate limits', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('limits each key separately → 429 with Retry-After and a JSON error; public routes are not counted', async () => {
    app = await startTestApp({ auth: { enforcement: 'always' }, rateLimit: { requests: 3, windowSeconds: 60 } });
    const a = (await createApiKey(app.store.apiKeys, { name: 'a', scopes: ['read'] })).token;
    const b = (await createApiKey(app.store.apiKeys, { name: 'b', scopes: ['read'] })).token;
    for (let i = 0; i < 3; i++) expect((await send(app.base, 'GET', '/v1/models', { key: a })).status).toBe(200);
    const limited = await send(app.base, 'GET', '/v1/models', { key: a });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.json.error).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/rate limit exceeded for API key [0-9a-f]{16}: 3 requests per 60 s/),
    });
    expect((await send(app.base, 'GET', '/v1/models', { key: b })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await send(app.base, 'GET', '/healthz')).status).toBe(200);
  });

  it('a key created with its own limit gets that limit, even when the default is none', async () => {
    app = await startTestApp({ auth: { enforcement: 'always' }, rateLimit: { requests: 0, windowSeconds: 60 } });
    const tight = (await createApiKey(app.store.apiKeys, { name: 'tight', scopes: ['read'], rateLimit: 1 })).token;
    const free = (await createApiKey(app.store.apiKeys, { name: 'free', scopes: ['read'] })).token;
    expect((await send(app.base, 'GET', '/v1/models', { key: tight })).status).toBe(200);
    expect((await send(app.base, 'GET', '/v1/models', { key: tight })).status).toBe(429);
    for (let i = 0; i < 5; i++) expect((await send(app.base, 'GET', '/v1/models', { key: free })).status).toBe(200);
  });

  it('without authentication, the limit applies per client address', async () => {
    app = await startTestApp({ rateLimit: { requests: 2, windowSeconds: 30 } });
    expect((await send(app.base, 'GET', '/v1/models')).status).toBe(200);
    expect((await send(app.base, 'POST', '/v1/score', { body: { text: 'hello' } })).status).toBe(200);
    const limited = await send(app.base, 'GET', '/v1/models');
    expect(limited.status).toBe(429);
    expect(limited.json.error.message).toMatch(/rate limit exceeded for client/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('requests refused for their key are not counted against anyone', async () => {
    app = await startTestApp({ auth: { enforcement: 'always' }, rateLimit: { requests: 1, windowSeconds: 60 } });
    const key = (await createApiKey(app.store.apiKeys, { name: 'k', scopes: ['read'] })).token;
    for (let i = 0; i < 3; i++) expect((await send(app.base, 'GET', '/v1/models')).status).toBe(401);
    expect((await send(app.base, 'GET', '/v1/models', { key })).status).toBe(200);
  });
});
