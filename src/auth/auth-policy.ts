// Whether the server authenticates, decided once at start-up from the bind address, the auth mode and the key table.
import { BlockList, isIP } from 'node:net';
import { ConfigError } from '../errors';

export type AuthMode = 'auto' | 'required' | 'off';
/** 'once-keys-exist': open until the first key is created (by `churnscope keys create`, even while serving). */
export type AuthEnforcement = 'always' | 'once-keys-exist' | 'never';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** 127.0.0.0/8, ::1 (IPv4-mapped forms included) and "localhost"; any other name or address counts as reachable from outside. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  if (h === 'localhost') return true;
  const family = isIP(h);
  if (family === 4) return loopback.check(h, 'ipv4');
  if (family === 6) return loopback.check(h, 'ipv6');
  return false;
}

export interface AuthPolicyInput {
  host: string;
  mode: AuthMode;
  /** Only the explicit `--insecure-no-auth` flag sets this. */
  insecureNoAuth: boolean;
  /** Whether the key table has any key (revoked ones count: revoking the last key must not open the server). */
  anyKeys: boolean;
}

export interface AuthPolicy {
  enforcement: AuthEnforcement;
  /** Something the operator should read in the start-up log. */
  warning?: string;
}

const CREATE_KEY_HINT = 'create one with `npx churnscope keys create --name <name> --scopes score,read` (same --db)';

/**
 * auto (default): on loopback, open until a key exists, then enforced; elsewhere enforced, and refused to start
 * while no key exists. required: always enforced. off: loopback only. --insecure-no-auth: off anywhere, loudly.
 */
export function resolveAuthPolicy(input: AuthPolicyInput): AuthPolicy {
  const { host, mode } = input;
  const local = isLoopbackHost(host);
  if (input.insecureNoAuth) {
    if (mode === 'required') {
      throw new ConfigError(
        '--insecure-no-auth contradicts auth mode "required" (CHURNSCOPE_AUTH / --auth); drop one of them',
        { field: 'auth.mode' },
      );
    }
    return {
      enforcement: 'never',
      warning: `authentication is OFF (--insecure-no-auth): anyone who can reach ${host} can read and change everything`,
    };
  }
  if (mode === 'required') {
    return {
      enforcement: 'always',
      warning: input.anyKeys ? undefined : `authentication is required but no API key exists yet: ${CREATE_KEY_HINT}`,
    };
  }
  if (!local && (mode === 'off' || !input.anyKeys)) {
    const why = mode === 'off' ? 'auth mode is "off"' : 'no API key exists';
    throw new ConfigError(
      `refusing to listen on ${host}, a non-loopback address, without authentication (${why}): ${CREATE_KEY_HINT}, ` +
        'bind to 127.0.0.1, or pass --insecure-no-auth if the network in front of it does the authentication',
      { field: 'server.host' },
    );
  }
  if (mode === 'off')
    return { enforcement: 'never', warning: 'authentication is off (auth mode "off", loopback only)' };
  return { enforcement: local ? 'once-keys-exist' : 'always' };
}
