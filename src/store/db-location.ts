// Reads `--db` / CHURNSCOPE_DB: a postgresql:// URL selects PostgreSQL, anything else is a SQLite file path.
import { ConfigError } from '../errors';

export type DbLocation =
  | { kind: 'sqlite'; path: string }
  /** `display` is the URL with its password masked: the only form that may reach logs and messages. */
  | { kind: 'postgres'; url: string; display: string };

const POSTGRES_SCHEME = /^postgres(ql)?:/i;
// Any other "scheme://" is a mistake, not a file name: sqlite:// or mysql:// would otherwise create a folder so named.
const OTHER_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

function refuse(flag: string, reason: string): ConfigError {
  return new ConfigError(`${flag}: ${reason}`, { field: 'db' });
}

/** Masks the password, so that a URL can be logged or shown in an error. */
export function maskUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}

export function parseDbLocation(value: string, flag = '--db (CHURNSCOPE_DB)'): DbLocation {
  if (typeof value !== 'string' || value.trim() === '') throw refuse(flag, 'the database is empty');
  if (!POSTGRES_SCHEME.test(value)) {
    if (OTHER_SCHEME.test(value)) {
      throw refuse(flag, `takes a SQLite file path or a postgresql:// URL, not "${value.split('://')[0]}://…"`);
    }
    return { kind: 'sqlite', path: value };
  }
  if (!/^postgres(ql)?:\/\//i.test(value)) {
    throw refuse(
      flag,
      'a PostgreSQL connection string starts with postgresql:// (e.g. postgresql://user@host:5432/db)',
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The WHATWG parser's own message repeats the input, password included; say what is expected instead.
    throw refuse(
      flag,
      'malformed PostgreSQL connection string; expected postgresql://user[:password]@host[:port]/database',
    );
  }
  const display = maskUrl(url);
  const socketHost = url.searchParams.get('host');
  if (url.hostname === '' && !socketHost) throw refuse(flag, `no host in ${display}`);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) {
    throw refuse(
      flag,
      `name one database after the host, e.g. postgresql://user@host:5432/churnscope (got ${display})`,
    );
  }
  return { kind: 'postgres', url: value, display };
}
