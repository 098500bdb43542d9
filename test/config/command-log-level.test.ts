// One log-level rule for every command: CHURNSCOPE_LOG_LEVEL, then LOG_LEVEL, validated; the CLI honours it.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { commandLogLevel } from '../../src/config';
import { ConfigError } from '../../src/errors';

describe('commandLogLevel', () => {
  it('prefers CHURNSCOPE_LOG_LEVEL over LOG_LEVEL and falls back to warn', () => {
    expect(commandLogLevel({ CHURNSCOPE_LOG_LEVEL: 'debug', LOG_LEVEL: 'error' })).toBe('debug');
    expect(commandLogLevel({ LOG_LEVEL: 'info' })).toBe('info');
    expect(commandLogLevel({})).toBe('warn');
    expect(commandLogLevel({}, 'error')).toBe('error');
  });

  it('refuses an unknown level naming the variable and the valid values', () => {
    expect(() => commandLogLevel({ CHURNSCOPE_LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    expect(() => commandLogLevel({ LOG_LEVEL: 'loud' })).toThrow(
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    );
  });
});

describe('commands take their log level from the environment', () => {
  const cli = (env: NodeJS.ProcessEnv) =>
    promisify(execFile)(process.execPath, [path.resolve('bin/churnscope.js'), 'score-text', 'I want a refund'], {
      env: { ...process.env, LOG_LEVEL: undefined, CHURNSCOPE_LOG_LEVEL: undefined, ...env },
      timeout: 60_000,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('info shows the start-up lines, the default keeps stderr quiet, a bad value exits 2', async () => {
    const loud = await cli({ CHURNSCOPE_LOG_LEVEL: 'info' });
    expect(loud.code).toBe(0);
    expect(loud.stderr).toMatch(/model precision/);
    const quiet = await cli({});
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    const bad = await cli({ CHURNSCOPE_LOG_LEVEL: 'loud' });
    expect(bad.code).toBe(2);
    // score-text reads the whole config first, which names the setting; the valid values are listed either way.
    expect(bad.stderr).toMatch(
      /^churnscope: .*must be one of fatal, error, warn, info, debug, trace, silent, got "loud"\n$/,
    );
  });
});
