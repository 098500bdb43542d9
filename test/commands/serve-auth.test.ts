// `churnscope serve` refuses a non-loopback address without authentication before loading anything else.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLI = path.resolve('bin/churnscope.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-auth-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function serve(args: string[]) {
  // The model path does not exist: a server that got past the auth check fails there instead, with another message.
  const all = [
    'serve',
    '--port',
    '0',
    '--model',
    path.join(dir, 'no-model'),
    '--db',
    path.join(dir, `${Math.random()}.db`),
    ...args,
  ];
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...all], {
      env: { ...process.env, LOG_LEVEL: 'error' },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('serve on a non-loopback address', () => {
  it('refuses to start without API keys, naming the fixes', async () => {
    const { code, stderr } = await serve(['--host', '0.0.0.0']);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /refusing to listen on 0\.0\.0\.0, a non-loopback address, without authentication \(no API key exists\)/,
    );
    expect(stderr).toMatch(/keys create/);
    expect(stderr).toMatch(/--insecure-no-auth/);
  });

  it('refuses auth mode "off" there too', async () => {
    const { code, stderr } = await serve(['--host', '0.0.0.0', '--auth', 'off']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/auth mode is "off"/);
  });

  it('goes past the check with --insecure-no-auth (and then fails on the missing model, as expected here)', async () => {
    const { code, stderr } = await serve(['--host', '0.0.0.0', '--insecure-no-auth']);
    expect(code).toBe(2);
    expect(stderr).not.toMatch(/refusing to listen/);
    expect(stderr).toMatch(/no-model/);
  });
});
