// Scope parsing (flags and config) and what each scope grants.
import { describe, expect, it } from 'vitest';
import { grants, parseScopes, SCOPES } from '../../src/auth';

describe('scopes', () => {
  it('parse a comma-separated list, trimming and dropping duplicates', () => {
    expect(parseScopes('score, read,score')).toEqual(['score', 'read']);
    expect(parseScopes('admin')).toEqual(['admin']);
  });

  it('refuse unknown scopes, naming them and the valid ones', () => {
    expect(() => parseScopes('read,write,root', '--scopes')).toThrow(
      /--scopes: unknown scope "write", "root"; valid scopes are score, read, admin/,
    );
  });

  it('refuse an empty list', () => {
    expect(() => parseScopes(' , ')).toThrow(/empty/);
  });

  it('grant a scope to keys holding it, and every scope to admin', () => {
    expect(grants(['read'], 'read')).toBe(true);
    expect(grants(['read'], 'score')).toBe(false);
    expect(grants(['score'], 'read')).toBe(false);
    expect(grants(['score'], 'admin')).toBe(false);
    expect(grants(['read', 'score'], 'admin')).toBe(false);
    for (const s of SCOPES) expect(grants(['admin'], s)).toBe(true);
    expect(grants([], 'read')).toBe(false);
  });
});
