// Serves the dashboard page at / and its assets under /dashboard/: plain files, no build step, nothing from elsewhere.
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

export const DASHBOARD_ASSET_PREFIX = '/dashboard';
const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

/**
 * The page needs only same-origin scripts, styles and API calls; the app-wide Content-Security-Policy
 * (src/api/security-headers.ts) makes the browser refuse anything else.
 */
export function dashboardRouter(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.sendFile('index.html', { root: PUBLIC_DIR, headers: { 'Cache-Control': 'no-cache' } });
  });
  router.use(
    DASHBOARD_ASSET_PREFIX,
    express.static(PUBLIC_DIR, {
      index: false,
      redirect: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  return router;
}
