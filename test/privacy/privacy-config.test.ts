// The privacy section of the configuration: defaults, environment, flags, and refusal of bad values.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';

describe('privacy configuration', () => {
  it('defaults to redacted storage, 80-character snippets and no retention', () => {
    expect(loadConfig({ env: {} }).privacy).toEqual({
      storeText: 'redacted',
      snippetChars: 80,
      retentionIntervalMinutes: 60,
    });
  });

  it('reads CHURNSCOPE_* variables, with flags taking precedence', () => {
    const env = {
      CHURNSCOPE_STORE_TEXT: 'none',
      CHURNSCOPE_RETENTION_DAYS: '30',
      CHURNSCOPE_SNIPPET_CHARS: '40',
      CHURNSCOPE_RETENTION_INTERVAL_MINUTES: '15',
    };
    expect(loadConfig({ env }).privacy).toEqual({
      storeText: 'none',
      snippetChars: 40,
      retentionDays: 30,
      retentionIntervalMinutes: 15,
    });
    expect(loadConfig({ env, flags: { storeText: 'full', retentionDays: 7 } }).privacy).toMatchObject({
      storeText: 'full',
      retentionDays: 7,
    });
  });

  it.each([
    [{ CHURNSCOPE_STORE_TEXT: 'hashed' }, /privacy\.storeText/],
    [{ CHURNSCOPE_RETENTION_DAYS: '0' }, /privacy\.retentionDays/],
    [{ CHURNSCOPE_RETENTION_DAYS: 'soon' }, /CHURNSCOPE_RETENTION_DAYS must be a number/],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig({ env })).toThrow(message);
  });
});
