// The crash test: a real server process is killed with SIGKILL in the middle of a 20,000-row job and restarted; every row must come out once, with the uninterrupted run's score.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, referenceScores, writeReviewDump } from '../helpers/job-dump';
import { writeTinyBundle } from '../helpers/tiny-bundle';
import { tempDir } from './fake-scoring';

const ROWS = 20_000;
const REPO = path.resolve(import.meta.dirname, '../..');
const dir = tempDir();
const modelDir = path.join(dir, 'model');
const input = path.join(dir, 'dump.csv');
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  await writeTinyBundle(modelDir);
  await writeReviewDump(input, ROWS);
});

async function startServer(port: number): Promise<ChildProcess> {
  const args = [
    'bin/churnscope.js',
    'serve',
    '--port',
    String(port),
    '--model',
    modelDir,
    '--db',
    path.join(dir, 'db.sqlite'),
    '--jobs-dir',
    path.join(dir, 'jobs'),
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    env: { ...process.env, CHURNSCOPE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  child.once('exit', () => children.delete(child));
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited early: ${stderr}`);
    if (
      await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not ready: ${stderr}`);
}

const statusOf = async (base: string, id: string) =>
  (await fetch(`${base}/v1/jobs/${id}`)).json() as Promise<{ state: string; rowsDone: number; scored: number }>;

describe('batch job crash recovery', () => {
  it('resumes a job after kill -9 with each row exactly once and the same scores as an uninterrupted run', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const first = await startServer(port);
    const created = await fetch(`${base}/v1/jobs?textCol=review&idCol=id`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: fs.readFileSync(input),
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };

    let atKill = await statusOf(base, id);
    while (atKill.rowsDone < 3000) {
      expect(atKill.state, 'the job ended before the server could be killed mid-way').toMatch(/queued|running/);
      await new Promise((r) => setTimeout(r, 20));
      atKill = await statusOf(base, id);
    }
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect(atKill.rowsDone).toBeLessThan(ROWS);

    await startServer(port);
    let final = await statusOf(base, id);
    for (let i = 0; i < 1200 && final.state !== 'succeeded'; i++) {
      expect(final.state).toMatch(/queued|running/);
      await new Promise((r) => setTimeout(r, 100));
      final = await statusOf(base, id);
    }
    expect(final).toMatchObject({ state: 'succeeded', rowsDone: ROWS, scored: ROWS });

    const results = parse<Record<string, string>>(await (await fetch(`${base}/v1/jobs/${id}/results`)).text(), {
      columns: true,
    });
    const reference = await referenceScores(modelDir, input);
    expect(results).toHaveLength(ROWS);
    expect(new Set(results.map((r) => r.id)).size).toBe(ROWS);
    const worst = Math.max(...results.map((r) => Math.abs(Number(r.risk) - Number(reference.get(r.id)))));
    // Scores are written rounded to 1e-6; batch composition can move the last float bit, hence one unit of slack.
    expect(worst).toBeLessThanOrEqual(1.0000001e-6);
  }, 240_000);
});
