// `churnscope keys create|list|revoke` against a temporary database, in-process and once through the real CLI.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { hashSecret, parseApiKeyToken } from '../../src/auth';
import { keysCreateCommand, keysListCommand, keysRevokeCommand, type KeysIo } from '../../src/commands/keys';
import { silentLogger } from '../../src/logging';
import { SqliteStore } from '../../src/store';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keys-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const freshDb = () => path.join(dir, `keys-${Math.random().toString(36).slice(2)}.db`);

function capture(): KeysIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), note: (t) => stderr.push(t) };
}

async function readDb<T>(db: string, fn: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = await SqliteStore.create({ path: db, logger: silentLogger() });
  try {
    return await fn(store);
  } finally {
    await store.dispose();
  }
}

describe('keys commands', () => {
  it('create prints the key once on stdout and stores only its hash', async () => {
    const db = freshDb();
    const io = capture();
    await keysCreateCommand({ name: 'ci', scopes: 'score,read', db }, io);
    expect(io.stdout).toHaveLength(1);
    const parsed = parseApiKeyToken(io.stdout[0]);
    expect(parsed).not.toBeNull();
    expect(io.stderr.join('\n')).toMatch(
      new RegExp(`created API key ${parsed!.id} "ci" with scopes score, read; it is shown only now`),
    );
    const credential = await readDb(db, (s) => s.apiKeys.credential(parsed!.id));
    expect(credential).toMatchObject({
      name: 'ci',
      scopes: ['score', 'read'],
      revokedAt: null,
      hash: hashSecret(parsed!.secret),
    });
    // Neither the whole key nor its secret is anywhere in the database file.
    const bytes =
      fs.readFileSync(db).toString('latin1') +
      (fs.existsSync(`${db}-wal`) ? fs.readFileSync(`${db}-wal`).toString('latin1') : '');
    expect(bytes).not.toContain(parsed!.secret);
  });

  it('list shows id, name, scopes, rate limit, created and revoked, never a key or hash', async () => {
    const db = freshDb();
    const created = capture();
    await keysCreateCommand({ name: 'crm-sync', scopes: 'score', db, json: true }, created);
    await keysCreateCommand({ name: 'ops', scopes: 'admin', rateLimit: 50, db, json: true }, created);
    const [first, second] = created.stdout.map((l) => JSON.parse(l));
    expect(first).toMatchObject({
      name: 'crm-sync',
      scopes: ['score'],
      rateLimit: null,
      key: expect.stringMatching(/^csk_/),
    });
    expect(second).toMatchObject({ name: 'ops', scopes: ['admin'], rateLimit: 50 });
    await keysRevokeCommand(first.id, { db }, capture());

    const table = capture();
    await keysListCommand({ db }, table);
    const lines = table.stdout.join('\n').split('\n');
    expect(lines[0]).toMatch(/^id\s+name\s+scopes\s+rate limit\s+created\s+revoked$/);
    expect(lines[1]).toMatch(new RegExp(`^${first.id}\\s+crm-sync\\s+score\\s+default\\s+\\S+Z\\s+\\d{4}-\\S+Z$`));
    expect(lines[2]).toMatch(new RegExp(`^${second.id}\\s+ops\\s+admin\\s+50\\s+\\S+Z\\s+-$`));

    const json = capture();
    await keysListCommand({ db, json: true }, json);
    const listed = JSON.parse(json.stdout[0]);
    expect(listed.map((k: { name: string }) => k.name)).toEqual(['crm-sync', 'ops']);
    const text = table.stdout.join('') + json.stdout.join('');
    for (const k of [first, second]) {
      expect(text).not.toContain(k.key);
      expect(text).not.toContain(hashSecret(parseApiKeyToken(k.key)!.secret));
    }
  });

  it('list on an empty database says how to create a key', async () => {
    const io = capture();
    await keysListCommand({ db: freshDb() }, io);
    expect(io.stdout).toEqual([]);
    expect(io.stderr.join('')).toMatch(/no API keys; create one with/);
  });

  it('revoke accepts the id or the key itself, keeps the first revocation time, and refuses unknown ids', async () => {
    const db = freshDb();
    const created = capture();
    await keysCreateCommand({ name: 'ci', scopes: 'read', db, json: true }, created);
    const { id, key } = JSON.parse(created.stdout[0]);
    const first = capture();
    await keysRevokeCommand(key, { db, json: true }, first);
    const revoked = JSON.parse(first.stdout[0]);
    expect(revoked).toMatchObject({ id, revokedAt: expect.stringMatching(/^\d{4}-/) });
    const again = capture();
    await keysRevokeCommand(id, { db, json: true }, again);
    expect(JSON.parse(again.stdout[0]).revokedAt).toBe(revoked.revokedAt);
    await expect(keysRevokeCommand('ffffffffffffffff', { db }, capture())).rejects.toThrow(
      /API key ffffffffffffffff does not exist/,
    );
  });

  it.each([
    [
      'an unknown scope',
      { name: 'x', scopes: 'read,write' },
      /--scopes: unknown scope "write"; valid scopes are score, read, admin/,
    ],
    ['no scopes', { name: 'x', scopes: '' }, /--scopes is empty/],
    ['a blank name', { name: '  ', scopes: 'read' }, /--name must not be empty/],
    ['a zero rate limit', { name: 'x', scopes: 'read', rateLimit: 0 }, /--rate-limit must be an integer ≥ 1/],
  ])('create refuses %s and writes nothing', async (_name, flags, message) => {
    const db = freshDb();
    await expect(keysCreateCommand({ ...flags, db }, capture())).rejects.toThrow(message);
    expect(fs.existsSync(db) ? await readDb(db, (s) => s.apiKeys.list()) : []).toEqual([]);
  });
});

describe('keys through the CLI', () => {
  const run = promisify(execFile);
  const CLI = path.resolve('bin/churnscope.js');
  const cli = async (args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
        env: { ...process.env, LOG_LEVEL: 'error' },
      });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };

  it('create → list → revoke, with errors as exit code 2', async () => {
    const db = freshDb();
    const created = await cli(['keys', 'create', '--name', 'ci', '--scopes', 'score,read', '--db', db]);
    expect(created.code).toBe(0);
    const id = parseApiKeyToken(created.stdout.trim())?.id;
    expect(id).toBeDefined();
    const listed = await cli(['keys', 'list', '--db', db, '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id, name: 'ci', scopes: ['score', 'read'], revokedAt: null }),
    ]);
    const revoked = await cli(['keys', 'revoke', id!, '--db', db]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`revoked API key ${id} "ci"`));
    const bad = await cli(['keys', 'create', '--name', 'x', '--scopes', 'root', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown scope "root"/);
  });
});
