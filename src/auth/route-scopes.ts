// THE table of who may call what: every route's method and path pattern with the scope it needs, or public.
import type { Scope } from './scopes';

/** 'metrics' is public or needs `read`, as configured (auth.publicMetrics). */
export type RouteAccess = Scope | 'public' | 'metrics';
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteRule {
  method: RouteMethod;
  /** Express-style: ":name" is one path segment, a trailing "*" any rest. Matched case-insensitively, like Express. */
  path: string;
  access: RouteAccess;
}

/**
 * Reading is `read`; anything that scores or feeds the model's inputs and outcomes (texts, customers' features,
 * feedback, batch jobs) is `score`, the scope an integration needs; what changes the service for everyone (alert
 * rules and their webhook secrets, the active model) or destroys data (erasing a customer) is `admin`.
 * First match wins, so specific paths come before parameterised ones.
 */
export const ROUTE_ACCESS: readonly RouteRule[] = [
  { method: 'GET', path: '/healthz', access: 'public' },
  { method: 'GET', path: '/readyz', access: 'public' },
  { method: 'GET', path: '/openapi.json', access: 'public' },
  { method: 'GET', path: '/metrics', access: 'metrics' },
  // The dashboard page and its files; its data comes from the /v1 routes below, with the key typed into the page.
  { method: 'GET', path: '/', access: 'public' },
  { method: 'GET', path: '/dashboard/*', access: 'public' },

  { method: 'POST', path: '/v1/score', access: 'score' },

  { method: 'GET', path: '/v1/customers/at-risk', access: 'read' },
  { method: 'POST', path: '/v1/customers/import', access: 'score' },
  { method: 'GET', path: '/v1/customers/:id', access: 'read' },
  { method: 'GET', path: '/v1/customers/:id/risk', access: 'read' },
  { method: 'PUT', path: '/v1/customers/:id', access: 'score' },
  { method: 'DELETE', path: '/v1/customers/:id', access: 'admin' },

  { method: 'POST', path: '/v1/feedback', access: 'score' },
  { method: 'GET', path: '/v1/metrics/model', access: 'read' },

  // Rules carry their webhook's signing secret, so even reading them is admin.
  { method: 'GET', path: '/v1/alerts/rules', access: 'admin' },
  { method: 'POST', path: '/v1/alerts/rules', access: 'admin' },
  { method: 'GET', path: '/v1/alerts/rules/:id', access: 'admin' },
  { method: 'PATCH', path: '/v1/alerts/rules/:id', access: 'admin' },
  { method: 'DELETE', path: '/v1/alerts/rules/:id', access: 'admin' },
  { method: 'GET', path: '/v1/alerts/log', access: 'read' },

  { method: 'GET', path: '/v1/models', access: 'read' },
  { method: 'GET', path: '/v1/models/active/card', access: 'read' },
  { method: 'POST', path: '/v1/models/retrain', access: 'admin' },
  { method: 'GET', path: '/v1/models/retrain/:id', access: 'read' },
  { method: 'POST', path: '/v1/models/:version/activate', access: 'admin' },

  { method: 'POST', path: '/v1/jobs', access: 'score' },
  { method: 'GET', path: '/v1/jobs', access: 'read' },
  { method: 'GET', path: '/v1/jobs/:id', access: 'read' },
  { method: 'GET', path: '/v1/jobs/:id/results', access: 'read' },
  { method: 'GET', path: '/v1/jobs/:id/errors', access: 'read' },
  { method: 'DELETE', path: '/v1/jobs/:id', access: 'score' },

  { method: 'GET', path: '/v1/themes', access: 'read' },
  { method: 'POST', path: '/v1/themes/probe', access: 'read' },
  { method: 'GET', path: '/v1/stats/*', access: 'read' },
  { method: 'GET', path: '/v1/monitoring/drift', access: 'read' },
];

export interface AccessDecision {
  access: Scope | 'public';
  /** The table entry that decided, or null when a default did. */
  rule: RouteRule | null;
}

const compiled = ROUTE_ACCESS.map((rule) => ({ rule, pattern: compile(rule.path) }));

/** Anything not in the table needs admin, so a route added without an entry is closed rather than open. */
export function accessFor(method: string, path: string, opts: { publicMetrics: boolean }): AccessDecision {
  const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const hit = compiled.find((c) => c.rule.method === m && c.pattern.test(path));
  if (hit) {
    const access = hit.rule.access === 'metrics' ? (opts.publicMetrics ? 'public' : 'read') : hit.rule.access;
    return { access, rule: hit.rule };
  }
  return { access: 'admin', rule: null };
}

function compile(path: string): RegExp {
  const rest = path.endsWith('/*');
  const body = (rest ? path.slice(0, -2) : path)
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  // Express matches with an optional trailing slash and ignores case; the table must see the same paths.
  return new RegExp(`^${body}${rest ? '(?:/.*)?' : ''}/?$`, 'i');
}
