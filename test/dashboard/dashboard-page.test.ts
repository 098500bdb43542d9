import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from '../api/test-app';

const PUBLIC_DIR = path.resolve(import.meta.dirname, '../../src/dashboard/public');
const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** Every file the page pulls in: the index's stylesheet and script, then the modules they import, transitively. */
async function assetsOfPage(): Promise<Map<string, { status: number; type: string | null; body: string }>> {
  const seen = new Map<string, { status: number; type: string | null; body: string }>();
  const page = await fetch(`${app.base}/`).then((r) => r.text());
  const queue = [...page.matchAll(/(?:src|href)="(\/dashboard\/[^"]+)"/g)].map((m) => m[1]);
  while (queue.length) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    const res = await fetch(`${app.base}${url}`);
    const body = await res.text();
    seen.set(url, { status: res.status, type: res.headers.get('content-type'), body });
    for (const m of body.matchAll(/from '(\.\/[^']+)'/g)) queue.push(new URL(m[1], `http://x${url}`).pathname);
  }
  return seen;
}

describe('dashboard page', () => {
  it('is served at / as HTML under a same-origin-only content security policy', async () => {
    const res = await fetch(`${app.base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    const html = await res.text();
    for (const id of ['distribution', 'probe', 'themes', 'customers', 'model', 'jobs'])
      expect(html).toContain(`id="${id}"`);
  });

  it('serves every script and stylesheet the page loads, with the right types', async () => {
    const assets = await assetsOfPage();
    expect([...assets.keys()]).toEqual(
      expect.arrayContaining([
        '/dashboard/styles.css',
        '/dashboard/app.js',
        '/dashboard/charts.js',
        '/dashboard/api.js',
      ]),
    );
    for (const [url, a] of assets) {
      expect(a.status, url).toBe(200);
      expect(a.type, url).toMatch(url.endsWith('.css') ? /^text\/css/ : /^(text|application)\/javascript/);
    }
    // Nothing in the folder goes unused, so nothing unreviewed ships with the page.
    const files = readdirSync(PUBLIC_DIR)
      .filter((f) => f !== 'index.html')
      .map((f) => `/dashboard/${f}`);
    expect([...assets.keys()].sort()).toEqual(files.sort());
  });

  it('names no other origin anywhere in its files', () => {
    for (const file of readdirSync(PUBLIC_DIR)) {
      const text = readFileSync(path.join(PUBLIC_DIR, file), 'utf8').split(SVG_NAMESPACE).join('');
      expect(text.match(/(?:https?:)?\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+/gi), file).toBeNull();
      expect(text, file).not.toMatch(/@import|url\(\s*['"]?(?!data:)/);
    }
  });

  it('answers 404 for an asset that does not exist, without falling back to the page', async () => {
    const r = await call(app.base, 'GET', '/dashboard/missing.js');
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('not_found');
  });
});
