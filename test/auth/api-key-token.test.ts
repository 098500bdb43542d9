// API key tokens: shape, uniqueness, parsing, hashing and constant-time verification.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiKeyIdOf, generateApiKeyToken, hashSecret, parseApiKeyToken, secretMatches } from '../../src/auth';

describe('API key tokens', () => {
  it('are csk_<16 hex id>_<43 base64url secret> and never repeat', () => {
    const tokens = Array.from({ length: 200 }, () => generateApiKeyToken());
    for (const t of tokens) {
      expect(t.token).toMatch(/^csk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      expect(t.token).toBe(`csk_${t.id}_${t.secret}`);
      // 43 base64url characters carry the 32 random bytes.
      expect(Buffer.from(t.secret, 'base64url')).toHaveLength(32);
    }
    expect(new Set(tokens.map((t) => t.id)).size).toBe(tokens.length);
    expect(new Set(tokens.map((t) => t.secret)).size).toBe(tokens.length);
  });

  it('parse back into id and secret, even when the secret contains underscores', () => {
    const secret = `${'_'.repeat(10)}${'a'.repeat(33)}`;
    expect(parseApiKeyToken(`csk_0123456789abcdef_${secret}`)).toEqual({ id: '0123456789abcdef', secret });
    const t = generateApiKeyToken();
    expect(parseApiKeyToken(t.token)).toEqual({ id: t.id, secret: t.secret });
  });

  it.each([
    ['empty', ''],
    ['no prefix', '0123456789abcdef_' + 'a'.repeat(43)],
    ['another prefix', 'sk_0123456789abcdef_' + 'a'.repeat(43)],
    ['short id', 'csk_0123456789abcde_' + 'a'.repeat(43)],
    ['upper-case id', 'csk_0123456789ABCDEF_' + 'a'.repeat(43)],
    ['short secret', 'csk_0123456789abcdef_' + 'a'.repeat(42)],
    ['long secret', 'csk_0123456789abcdef_' + 'a'.repeat(44)],
    ['non-base64url secret', 'csk_0123456789abcdef_' + 'a'.repeat(42) + '+'],
    ['trailing space', 'csk_0123456789abcdef_' + 'a'.repeat(43) + ' '],
  ])('refuse a malformed token (%s)', (_name, token) => {
    expect(parseApiKeyToken(token)).toBeNull();
  });

  it('store the SHA-256 of the secret, never the secret', () => {
    const { secret } = generateApiKeyToken();
    const hash = hashSecret(secret);
    expect(hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(hash).not.toContain(secret);
  });

  it('verify only the exact secret', () => {
    const { secret } = generateApiKeyToken();
    const stored = hashSecret(secret);
    expect(secretMatches(secret, stored)).toBe(true);
    const flipped = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect(secretMatches(flipped, stored)).toBe(false);
    expect(secretMatches(secret, stored.slice(0, 62))).toBe(false);
    expect(secretMatches(secret, '')).toBe(false);
  });

  it('name a key by its id, its prefix or the whole token', () => {
    const t = generateApiKeyToken();
    expect(apiKeyIdOf(t.id)).toBe(t.id);
    expect(apiKeyIdOf(`csk_${t.id}`)).toBe(t.id);
    expect(apiKeyIdOf(t.token)).toBe(t.id);
    expect(apiKeyIdOf(' nonsense ')).toBe('nonsense');
  });
});
