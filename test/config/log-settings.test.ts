// One log-level and log-format rule for every command: validated, honoured by the CLI; readable lines or JSON.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { commandLogLevel, logFormat } from '../../src/config';
import { createLogger } from '../../src/logging';
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

describe('log format', () => {
  const capture = async (format: 'json' | 'pretty') => {
    const sink = new PassThrough();
    let out = '';
    sink.on('data', (c: Buffer) => (out += c.toString()));
    createLogger({ level: 'info', destination: sink, format }).info({ model: 'v1' }, 'model opened');
    await new Promise((r) => setImmediate(r));
    return out;
  };

  it('json writes one object per line; pretty writes a readable line with the message and fields', async () => {
    expect(JSON.parse(await capture('json'))).toMatchObject({ level: 30, msg: 'model opened', model: 'v1' });
    const line = await capture('pretty');
    expect(line).toMatch(/INFO.*model opened/);
    expect(line).toMatch(/"model":"v1"/);
    expect(() => JSON.parse(line)).toThrow();
  });

  it('CHURNSCOPE_LOG_FORMAT is json, pretty or unset (auto); anything else is refused by name', () => {
    expect(logFormat({})).toBeUndefined();
    expect(logFormat({ CHURNSCOPE_LOG_FORMAT: 'json' })).toBe('json');
    expect(() => logFormat({ CHURNSCOPE_LOG_FORMAT: 'xml' })).toThrow(
      'CHURNSCOPE_LOG_FORMAT must be one of json, pretty, got "xml"',
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
