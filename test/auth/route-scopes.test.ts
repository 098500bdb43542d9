// The route → scope table: decisions for the API's routes, defaults, and that every registered route has an entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessFor, ROUTE_ACCESS } from '../../src/auth';
import { startTestApp, type TestApp } from '../api/test-app';
import { registeredRoutes } from './app-routes';

const open = { publicMetrics: true };
const access = (method: string, path: string, opts = open) => accessFor(method, path, opts).access;

describe('route access table', () => {
  it.each([
    ['GET', '/healthz', 'public'],
    ['GET', '/readyz', 'public'],
    ['GET', '/openapi.json', 'public'],
    ['GET', '/', 'public'],
    ['GET', '/dashboard/app.js', 'public'],
    ['POST', '/v1/score', 'score'],
    ['GET', '/v1/customers/c-1', 'read'],
    ['GET', '/v1/customers/c-1/risk', 'read'],
    ['GET', '/v1/customers/at-risk', 'read'],
    ['PUT', '/v1/customers/c-1', 'score'],
    ['DELETE', '/v1/customers/c-1', 'admin'],
    ['POST', '/v1/customers/import', 'score'],
    ['POST', '/v1/feedback', 'score'],
    ['GET', '/v1/metrics/model', 'read'],
    ['GET', '/v1/alerts/log', 'read'],
    ['GET', '/v1/alerts/rules', 'admin'],
    ['PATCH', '/v1/alerts/rules/r1', 'admin'],
    ['GET', '/v1/models', 'read'],
    ['GET', '/v1/models/active/card', 'read'],
    ['POST', '/v1/models/v2/activate', 'admin'],
    ['POST', '/v1/jobs', 'score'],
    ['GET', '/v1/jobs/j1/results', 'read'],
    ['DELETE', '/v1/jobs/j1', 'score'],
    ['GET', '/v1/themes', 'read'],
    ['POST', '/v1/themes/probe', 'read'],
    ['GET', '/v1/stats/risk-distribution', 'read'],
  ])('%s %s needs %s', (method, path, expected) => {
    expect(access(method, path)).toBe(expected);
  });

  it('/metrics is public unless configured otherwise, then it needs read', () => {
    expect(access('GET', '/metrics')).toBe('public');
    expect(access('GET', '/metrics', { publicMetrics: false })).toBe('read');
  });

  it('matches the way Express routes: any case, an optional trailing slash, HEAD as GET', () => {
    expect(access('GET', '/V1/Customers/c-1')).toBe('read');
    expect(access('post', '/V1/SCORE')).toBe('score');
    expect(access('DELETE', '/v1/customers/c-1/')).toBe('admin');
    expect(access('PUT', '/v1/customers/c-1/')).toBe('score');
    expect(access('HEAD', '/healthz')).toBe('public');
    expect(access('HEAD', '/v1/models')).toBe('read');
  });

  it('a parameter is one path segment: a deeper path does not borrow a shallower rule', () => {
    expect(accessFor('GET', '/v1/customers/c-1/secret', open).rule).toBeNull();
    expect(access('GET', '/v1/customers/c-1/secret')).toBe('admin');
  });

  it('unknown routes need admin, on /v1 and elsewhere; so do known paths under another method', () => {
    expect(accessFor('GET', '/v1/brand-new', open)).toEqual({ access: 'admin', rule: null });
    expect(access('POST', '/v1/models')).toBe('admin');
    expect(access('DELETE', '/healthz')).toBe('admin');
    expect(access('GET', '/debug/vars')).toBe('admin');
    expect(access('OPTIONS', '/v1/score')).toBe('admin');
  });

  it('has one entry per method and path', () => {
    const keys = ROUTE_ACCESS.map((r) => `${r.method} ${r.path.toLowerCase()}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  describe('against the real app', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp();
    });
    afterAll(() => app.close());

    it('every route the app registers has an explicit entry (none falls to the default)', () => {
      const routes = registeredRoutes(app.app);
      expect(routes.length).toBeGreaterThan(20);
      const uncovered = routes
        .filter((r) => accessFor(r.method, r.path, open).rule === null)
        .map((r) => `${r.method} ${r.path}`);
      expect(uncovered).toEqual([]);
    });

    it('only operational routes and the dashboard are public', () => {
      const publicRoutes = registeredRoutes(app.app)
        .filter((r) => access(r.method, r.path) === 'public')
        .map((r) => r.path);
      for (const p of publicRoutes) expect(p).toMatch(/^\/(healthz|readyz|metrics|openapi\.json)?$/);
    });
  });
});
