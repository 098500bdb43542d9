// `churnscope keys create|list|revoke`: API keys in the service's database; a new key is printed once, never stored.
import { commandLogger } from './command-logger';
import { apiKeyIdOf, createApiKey, parseScopes } from '../auth';
import { loadConfig } from '../config';
import { ValidationError } from '../errors';

import { openStore, type ApiKeyRecord, type Store } from '../store';

export interface KeysFlags {
  db?: string;
  json?: boolean;
}

export interface KeysCreateFlags extends KeysFlags {
  name: string;
  scopes: string;
  rateLimit?: number;
}

/** Where results go; stdout/stderr by default, captured in tests. */
export interface KeysIo {
  out(text: string): void;
  note(text: string): void;
}

const stdio: KeysIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  note: (text) => process.stderr.write(`${text}\n`),
};

/** stdout carries the key alone (or JSON), so `KEY=$(churnscope keys create …)` works; the notice goes to stderr. */
export async function keysCreateCommand(flags: KeysCreateFlags, io: KeysIo = stdio): Promise<void> {
  const scopes = parseScopes(flags.scopes ?? '', '--scopes');
  if (typeof flags.name !== 'string' || flags.name.trim() === '')
    throw new ValidationError('--name must not be empty', { field: '--name' });
  if (flags.rateLimit !== undefined && (!Number.isInteger(flags.rateLimit) || flags.rateLimit < 1)) {
    throw new ValidationError(`--rate-limit must be an integer ≥ 1, got ${flags.rateLimit}`, { field: '--rate-limit' });
  }
  await withStore(flags, async (store) => {
    const { record, token } = await createApiKey(store.apiKeys, {
      name: flags.name.trim(),
      scopes,
      rateLimit: flags.rateLimit,
    });
    if (flags.json) {
      io.out(JSON.stringify({ ...record, key: token }));
      return;
    }
    io.note(
      `created API key ${record.id} "${record.name}" with scopes ${record.scopes.join(', ')}; it is shown only now, store it safely:`,
    );
    io.out(token);
  });
}

export async function keysListCommand(flags: KeysFlags, io: KeysIo = stdio): Promise<void> {
  await withStore(flags, async (store) => {
    const keys = await store.apiKeys.list();
    if (flags.json) io.out(JSON.stringify(keys));
    else if (keys.length === 0)
      io.note('no API keys; create one with `churnscope keys create --name <name> --scopes score,read`');
    else io.out(table(keys));
  });
}

/** Accepts the key's id or the key itself (only its id part is used). */
export async function keysRevokeCommand(idOrKey: string, flags: KeysFlags, io: KeysIo = stdio): Promise<void> {
  await withStore(flags, async (store) => {
    const record = await store.apiKeys.revoke(apiKeyIdOf(idOrKey));
    if (flags.json) io.out(JSON.stringify(record));
    else
      io.out(
        `revoked API key ${record.id} "${record.name}" (at ${record.revokedAt}); a running server refuses it from now on`,
      );
  });
}

async function withStore(flags: KeysFlags, fn: (store: Store) => Promise<void>): Promise<void> {
  const config = loadConfig({ env: process.env, flags: { db: flags.db } });
  const logger = commandLogger();
  const store = await openStore({ db: config.dbPath, logger });
  try {
    await fn(store);
  } finally {
    await store.dispose();
  }
}

function table(keys: readonly ApiKeyRecord[]): string {
  const rows = [
    ['id', 'name', 'scopes', 'rate limit', 'created', 'revoked'],
    ...keys.map((k) => [
      k.id,
      k.name,
      k.scopes.join(','),
      k.rateLimit === null ? 'default' : String(k.rateLimit),
      k.createdAt,
      k.revokedAt ?? '-',
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
