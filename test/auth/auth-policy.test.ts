// Start-up policy: which addresses are loopback, and when the server authenticates or refuses to start.
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, resolveAuthPolicy, type AuthMode } from '../../src/auth';
import { ConfigError } from '../../src/errors';

describe('isLoopbackHost', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '127.255.255.255',
    '::1',
    '[::1]',
    'localhost',
    'LOCALHOST',
    '::ffff:127.0.0.1',
    '0:0:0:0:0:0:0:1',
  ])('%s is loopback', (host) => expect(isLoopbackHost(host)).toBe(true));
  it.each([
    '0.0.0.0',
    '::',
    '[::]',
    '10.0.0.1',
    '192.168.1.10',
    '128.0.0.1',
    '126.255.255.255',
    '::2',
    'example.com',
    'localhost.example.com',
    '',
  ])('%s is not loopback', (host) => expect(isLoopbackHost(host)).toBe(false));
});

describe('resolveAuthPolicy', () => {
  const policy = (host: string, mode: AuthMode, anyKeys: boolean, insecureNoAuth = false) =>
    resolveAuthPolicy({ host, mode, anyKeys, insecureNoAuth });

  it('auto on loopback: open until the first key exists (a fresh clone serves)', () => {
    expect(policy('127.0.0.1', 'auto', false).enforcement).toBe('once-keys-exist');
    expect(policy('localhost', 'auto', true).enforcement).toBe('once-keys-exist');
  });

  it('auto on a non-loopback address: enforced when keys exist, refused to start when none does', () => {
    expect(policy('0.0.0.0', 'auto', true).enforcement).toBe('always');
    expect(() => policy('0.0.0.0', 'auto', false)).toThrow(ConfigError);
    expect(() => policy('0.0.0.0', 'auto', false)).toThrow(
      /refusing to listen on 0\.0\.0\.0.*no API key exists.*keys create.*--insecure-no-auth/,
    );
  });

  it('off: allowed on loopback only', () => {
    expect(policy('::1', 'off', true).enforcement).toBe('never');
    expect(() => policy('192.168.1.10', 'off', true)).toThrow(
      /refusing to listen on 192\.168\.1\.10.*auth mode is "off"/,
    );
  });

  it('--insecure-no-auth turns authentication off anywhere, with a warning', () => {
    const p = policy('0.0.0.0', 'auto', false, true);
    expect(p.enforcement).toBe('never');
    expect(p.warning).toMatch(/OFF/);
    expect(policy('0.0.0.0', 'off', true, true).enforcement).toBe('never');
  });

  it('required: always enforced, warning when no key exists yet; contradicting --insecure-no-auth is refused', () => {
    expect(policy('127.0.0.1', 'required', true)).toEqual({ enforcement: 'always', warning: undefined });
    expect(policy('0.0.0.0', 'required', false).warning).toMatch(/no API key exists/);
    expect(() => policy('0.0.0.0', 'required', true, true)).toThrow(/contradicts/);
  });
});
