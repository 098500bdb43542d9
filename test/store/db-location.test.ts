// --db / CHURNSCOPE_DB: which store a value selects, and one-line ConfigErrors naming the flag for malformed ones.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors';
import { silentLogger } from '../../src/logging';
import { openStore, parseDbLocation } from '../../src/store';

describe('parseDbLocation', () => {
  it('takes postgresql:// and postgres:// URLs as PostgreSQL, masking the password for display', () => {
    expect(parseDbLocation('postgresql://app:s3cret@db.internal:5433/churn')).toEqual({
      kind: 'postgres',
      url: 'postgresql://app:s3cret@db.internal:5433/churn',
      display: 'postgresql://app:***@db.internal:5433/churn',
    });
    expect(parseDbLocation('POSTGRES://u@h/d').kind).toBe('postgres');
    // A Unix socket folder given as ?host= is a host too.
    expect(parseDbLocation('postgresql:///churn?host=/var/run/postgresql').kind).toBe('postgres');
  });

  it('takes anything else as a SQLite file path', () => {
    expect(parseDbLocation('./data/churnscope.db')).toEqual({ kind: 'sqlite', path: './data/churnscope.db' });
    expect(parseDbLocation(':memory:').kind).toBe('sqlite');
    expect(parseDbLocation('C:\\data\\churn.db').kind).toBe('sqlite');
  });

  it.each([
    ['postgresql://u:pw@[oops/db', /malformed PostgreSQL connection string/],
    ['postgresql://u@h:99999/db', /malformed/],
    ['postgresql://u@h:5432', /name one database/],
    ['postgresql://u@h:5432/a/b', /name one database/],
    ['postgresql:///db', /no host/],
    ['postgres:db', /starts with postgresql:\/\//],
    ['mysql://u@h/db', /not "mysql:\/\/…"/],
    ['sqlite://file.db', /SQLite file path or a postgresql:\/\/ URL/],
    ['', /empty/],
  ])('refuses %j with one line naming --db', (value, reason) => {
    let error: unknown;
    try {
      parseDbLocation(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.field).toBe('db');
    expect(e.message).toMatch(/^--db \(CHURNSCOPE_DB\): /);
    expect(e.message).toMatch(reason);
    expect(e.message).not.toContain('\n');
    expect(e.message).not.toContain('pw');
  });

  it('openStore refuses a malformed URL before connecting anywhere', async () => {
    await expect(openStore({ db: 'postgresql://u@h', logger: silentLogger() })).rejects.toBeInstanceOf(ConfigError);
  });
});
