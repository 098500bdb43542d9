// The issue's multi-machine test: two API replicas and two `churnscope worker` processes on one fresh PostgreSQL database; one worker is killed with SIGKILL mid-job, and every row must still come out exactly once, with a single-process run's risks.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, referenceScores, writeReviewDump } from '../helpers/job-dump';
import { writeTinyBundle } from '../helpers/tiny-bundle';
import { tempDir } from '../jobs/fake-scoring';
import { testDatabaseFor } from '../store/pg-test-database';

/** The issue asks for 20,000 rows; CHURNSCOPE_E2E_ROWS changes it (e.g. for a quick local run). */
const ROWS = Number(process.env.CHURNSCOPE_E2E_ROWS ?? 20_000);
const LEASE_SECONDS = 3;
const REPO = path.resolve(import.meta.dirname, '../..');
const { db, skip } = await testDatabaseFor('churnscope worker end-to-end test');
const dir = tempDir();
const modelDir = path.join(dir, 'model');
const input = path.join(dir, 'dump.csv');
const children = new Set<ChildProcess>();
// Small chunks would let a worker sit between chunks when killed; these take long enough that it holds one.
const env = {
  ...process.env,
  CHURNSCOPE_LOG_LEVEL: 'warn',
  CHURNSCOPE_JOB_LEASE_SECONDS: String(LEASE_SECONDS),
  CHURNSCOPE_JOB_CHUNK_SIZE: '500',
};

beforeAll(async () => {
  await writeTinyBundle(modelDir);
  await writeReviewDump(input, ROWS);
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 200));
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function start(args: string[]): { child: ChildProcess; stderr: () => string } {
  const child = spawn(process.execPath, ['bin/churnscope.js', ...args], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  child.once('exit', () => children.delete(child));
  return { child, stderr: () => stderr };
}

async function startReplica(name: string): Promise<string> {
  const port = await freePort();
  const args = ['serve', '--port', String(port), '--model', modelDir, '--db', db!.url];
  const { child, stderr } = start([...args, '--jobs-dir', path.join(dir, `jobs-${name}`)]);
  for (let i = 0; i < 900; i++) {
    if (child.exitCode !== null) throw new Error(`replica ${name} exited early: ${stderr()}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return `http://127.0.0.1:${port}`;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`replica ${name} not ready: ${stderr()}`);
}

const startWorker = () => start(['worker', '--db', db!.url, '--model', modelDir, '--threads', '1']);

interface Status {
  state: string;
  rowsDone: number;
  rowsTotal: number | null;
  scored: number;
}
const statusOf = async (base: string, id: string) => (await fetch(`${base}/v1/jobs/${id}`)).json() as Promise<Status>;

async function waitFor(base: string, id: string, done: (s: Status) => boolean, what: string): Promise<Status> {
  for (let i = 0; i < 3000; i++) {
    const s = await statusOf(base, id);
    if (done(s)) return s;
    expect(s.state, what).toMatch(/queued|running/);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting: ${what}`);
}

async function submit(base: string, body: Buffer): Promise<string> {
  const res = await fetch(`${base}/v1/jobs?textCol=review&idCol=id`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body,
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

async function redeliveredChunks(jobId: string): Promise<number> {
  const client = new Client({ connectionString: db!.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pgboss.job WHERE data->>'jobId' = $1 AND retry_count > 0`,
      [jobId],
    );
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

describe('churnscope worker', () => {
  it('refuses a SQLite --db in one line, exit code 2', () => {
    const r = spawnSync(process.execPath, ['bin/churnscope.js', 'worker', '--db', path.join(dir, 'x.sqlite')], {
      cwd: REPO,
      env,
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--db .*postgresql:\/\//);
  });
});

describe.skipIf(skip !== undefined)(`queued jobs on several processes${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('survives kill -9 of a worker mid-job: each row exactly once, with the single-process risks', async () => {
    const [a, b] = await Promise.all([startReplica('a'), startReplica('b')]);
    const doomed = startWorker();
    const survivor = startWorker();
    const id = await submit(a, fs.readFileSync(input));

    // Progress is read from the database: the other replica sees it.
    const atKill = await waitFor(b, id, (s) => s.rowsDone >= ROWS / 5, 'the job ended before a worker was killed');
    doomed.child.kill('SIGKILL');
    await new Promise((r) => doomed.child.once('exit', r));
    expect(atKill.rowsDone).toBeLessThan(ROWS);

    const final = await waitFor(b, id, (s) => s.state === 'succeeded', 'the job did not finish after the kill');
    expect(final).toMatchObject({ state: 'succeeded', rowsDone: ROWS, rowsTotal: ROWS, scored: ROWS });
    // The killed worker held a chunk: it came back after its lease and was scored by the survivor.
    expect(await redeliveredChunks(id)).toBeGreaterThan(0);

    const text = await (await fetch(`${b}/v1/jobs/${id}/results`)).text();
    const results = parse<Record<string, string>>(text, { columns: true });
    expect(results).toHaveLength(ROWS);
    expect(results.map((r) => r.id)).toEqual(Array.from({ length: ROWS }, (_, i) => `row-${i}`));
    const reference = await referenceScores(modelDir, input);
    const worst = Math.max(...results.map((r) => Math.abs(Number(r.risk) - Number(reference.get(r.id)))));
    // Scores are written rounded to 1e-6; batch composition can move the last float bit, hence one unit of slack.
    expect(worst).toBeLessThanOrEqual(1.0000001e-6);
    expect(await (await fetch(`${a}/v1/jobs/${id}/errors`)).text()).toBe('');

    // Cancelled on the other replica than the one that took it: workers leave its chunks alone.
    const small = await submit(
      b,
      Buffer.from(
        stringify(
          results.slice(0, 2000).map((r) => ({ id: r.id, review: r.review })),
          { header: true },
        ),
      ),
    );
    const cancel = await fetch(`${a}/v1/jobs/${small}`, { method: 'DELETE' });
    const after = (await cancel.json()) as Status;
    if (cancel.status === 200) {
      expect(after.state).toBe('cancelled');
      const rowsAtCancel = (await statusOf(b, small)).rowsDone;
      await new Promise((r) => setTimeout(r, 1500));
      expect(await statusOf(b, small)).toMatchObject({ state: 'cancelled', rowsDone: rowsAtCancel });
    } else {
      // The survivor finished all 2,000 rows before the cancel arrived: refused, as for any finished job.
      expect(cancel.status).toBe(409);
    }
    expect(survivor.child.exitCode).toBeNull();
  }, 240_000);
});
