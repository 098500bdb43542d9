// Opens the SQLite file with the settings the store relies on, and refuses a file that is corrupt or not a database.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from '../../errors';
import { isCorruption } from './sqlite-errors';

export interface OpenDatabaseOptions {
  /** A file path, or ':memory:'. */
  path: string;
  busyTimeoutMs: number;
}

function refuse(file: string, reason: string, cause?: unknown): ConfigError {
  return new ConfigError(`database ${file} ${reason}; restore it from a backup or point churnscope at another file`, {
    field: 'dbPath',
    cause,
  });
}

function applySettings(db: Database.Database, busyTimeoutMs: number, inMemory: boolean): void {
  // Readers never block the writer and vice versa; NORMAL is durable across process crashes in WAL mode.
  if (!inMemory) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Deleted rows are overwritten with zeros: an erased customer's text must not survive in free pages.
  db.pragma('secure_delete = ON');
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
}

function checkIntegrity(db: Database.Database, file: string): void {
  // quick_check is O(pages) without the index cross-checks: cheap enough for every start-up.
  // One line per problem, without SQLite's "*** in database main ***" banner, so the refusal reads as one message.
  const problems = (db.pragma('quick_check') as Array<{ quick_check: string }>).map((r) =>
    r.quick_check
      .replace(/\*\*\* in database \w+ \*\*\*/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  );
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw refuse(file, `is corrupt (${problems.slice(0, 3).join('; ')})`);
  }
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database.Database> {
  const inMemory = opts.path === ':memory:';
  if (!inMemory) {
    try {
      await mkdir(path.dirname(path.resolve(opts.path)), { recursive: true });
    } catch (cause) {
      throw new ConfigError(`cannot create the folder for database ${opts.path}: ${(cause as Error).message}`, {
        field: 'dbPath',
        cause,
      });
    }
  }
  let db: Database.Database;
  try {
    db = new Database(opts.path);
  } catch (cause) {
    throw new ConfigError(`cannot open database ${opts.path}: ${(cause as Error).message}`, { field: 'dbPath', cause });
  }
  try {
    applySettings(db, opts.busyTimeoutMs, inMemory);
    checkIntegrity(db, opts.path);
    return db;
  } catch (e) {
    db.close();
    if (isCorruption(e)) throw refuse(opts.path, `is corrupt or not a SQLite database (${(e as Error).message})`, e);
    throw e;
  }
}
