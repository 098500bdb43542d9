// Express middleware: finds the scope a request needs in the route table and checks the Bearer API key against it.
import type { RequestHandler, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '../errors';
import type { ApiKeyRepository } from '../store';
import { hashSecret, parseApiKeyToken, secretMatches } from './api-key-token';
import { accessFor } from './route-scopes';
import { grants, type Scope } from './scopes';

export interface ApiAuthOptions {
  keys: Pick<ApiKeyRepository, 'credential' | 'any'>;
  /** 'never' is expressed by giving createApp no auth at all. */
  enforcement: 'always' | 'once-keys-exist';
  /** /metrics without a key (default true); false: it needs `read`. */
  publicMetrics?: boolean;
}

export interface AuthenticatedKey {
  id: string;
  name: string;
  scopes: Scope[];
  rateLimit: number | null;
}

/** What the middleware leaves for later steps (the rate limiter) on res.locals. */
export interface AuthLocals {
  access: Scope | 'public';
  apiKey?: AuthenticatedKey;
}

export function authLocals(res: Response): Partial<AuthLocals> {
  return res.locals as Partial<AuthLocals>;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
// Hashing something when the id is unknown keeps that answer from being measurably faster than a wrong secret.
const UNKNOWN_KEY_HASH = hashSecret('no such key');

export function requireApiKey(opts: ApiAuthOptions): RequestHandler {
  const publicMetrics = opts.publicMetrics ?? true;
  let keysExist = opts.enforcement === 'always';
  return async (req, res, next) => {
    const { access } = accessFor(req.method, req.path, { publicMetrics });
    const locals = authLocals(res);
    locals.access = access;
    if (access === 'public') return next();
    // Keys are never deleted, only revoked, so once one exists enforcement stays on: the one thing safe to remember.
    if (!keysExist) keysExist = await opts.keys.any();
    if (!keysExist) return next();
    locals.apiKey = await authenticate(req.headers.authorization, opts.keys);
    if (!grants(locals.apiKey.scopes, access)) {
      const key = locals.apiKey;
      throw new ForbiddenError(
        `${req.method} ${req.path} needs scope "${access}" (or "admin"); API key ${key.id} ("${key.name}") has ${key.scopes.join(', ')}`,
        { field: 'authorization' },
      );
    }
    next();
  };
}

async function authenticate(header: string | undefined, keys: ApiAuthOptions['keys']): Promise<AuthenticatedKey> {
  if (header === undefined || header.trim() === '') {
    throw new UnauthorizedError('this route needs an API key: send "Authorization: Bearer csk_…"', {
      field: 'authorization',
    });
  }
  const bearer = BEARER.exec(header);
  if (!bearer)
    throw new UnauthorizedError('the Authorization header must be "Bearer <API key>"', { field: 'authorization' });
  const parsed = parseApiKeyToken(bearer[1]);
  if (!parsed)
    throw new UnauthorizedError('invalid API key: not a churnscope key (csk_<id>_<secret>)', {
      field: 'authorization',
    });
  // Read from the store on every request, never cached: a key created or revoked (by `churnscope keys` or any
  // replica sharing the database) takes effect on every replica at once, with no invalidation to get wrong.
  const credential = await keys.credential(parsed.id);
  if (!secretMatches(parsed.secret, credential?.hash ?? UNKNOWN_KEY_HASH) || !credential) {
    throw new UnauthorizedError('invalid API key', { field: 'authorization' });
  }
  if (credential.revokedAt !== null) {
    throw new UnauthorizedError(`API key ${credential.id} was revoked at ${credential.revokedAt}`, {
      field: 'authorization',
    });
  }
  return { id: credential.id, name: credential.name, scopes: credential.scopes, rateLimit: credential.rateLimit };
}
