// Security headers (helmet) with a CSP that fits the same-origin dashboard: scripts and styles from our own files only.
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The dashboard at GET / loads its own JS and CSS files and draws inline SVG; it needs no inline script, no inline
 * style element and nothing from another origin. upgrade-insecure-requests is off because the service speaks plain
 * HTTP unless a proxy in front of it terminates TLS, and would otherwise break the page on a LAN address.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'font-src': ["'self'"],
        'object-src': ["'none'"],
        'frame-ancestors': ["'none'"],
        'form-action': ["'self'"],
        'base-uri': ["'self'"],
        'upgrade-insecure-requests': null,
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
