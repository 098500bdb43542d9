// bench:scale — queued jobs on PostgreSQL: rows/s of one and two `churnscope worker` processes (one intra-op thread each) next to one in-process job with two threads on the same dump, and the queue's own cost per chunk. Prints JSON.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import seedrandom from 'seedrandom';
import { createLogger } from '../src/logging';
import { PostgresStore, type JobResultInput } from '../src/store';
import { createTestDatabase } from '../test/store/pg-test-database';
import { benchLog, r1, r2, sleep, startServer, stopServer } from './lib/bench-server';

const ROWS = Number(process.env.BENCH_SCALE_ROWS ?? 4000);
const REPEATS = Number(process.env.BENCH_SCALE_REPEATS ?? 2);
const CHUNK = Number(process.env.BENCH_SCALE_CHUNK ?? 256);
const OVERHEAD_CHUNKS = Number(process.env.BENCH_SCALE_OVERHEAD_CHUNKS ?? 200);
const MODEL_DIR = path.resolve(process.env.BENCH_SCALE_MODEL ?? 'models/default');
const REVIEWS = path.resolve('fixtures/data/fine_foods_train.csv');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scale-'));
const children = new Set<ChildProcess>();
const log = benchLog('scale');

function writeDump(file: string, n: number, reviews: string[], seed: string): void {
  const rng = seedrandom(seed);
  const rows = Array.from({ length: n }, (_, i) => [`r${i}`, reviews[Math.floor(rng() * reviews.length)]]);
  fs.writeFileSync(file, stringify(rows, { header: true, columns: ['id', 'review'] }));
}

function child(args: string[], env: Record<string, string> = {}): ChildProcess {
  const c = spawn(process.execPath, ['bin/churnscope.js', ...args], {
    env: { ...process.env, CHURNSCOPE_LOG_LEVEL: 'warn', CHURNSCOPE_JOB_CHUNK_SIZE: String(CHUNK), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(c);
  c.once('exit', () => children.delete(c));
  return c;
}

/** The peer: `churnscope score` runs scoreFile, the code an in-process job runs; its own clock excludes model load. */
async function inProcess(dump: string): Promise<number> {
  const c = child(
    ['score', '--in', dump, '--out', path.join(work, 'out.csv'), '--text-col', 'review', '--model', MODEL_DIR],
    { CHURNSCOPE_THREADS: '2' },
  );
  let stdout = '';
  c.stdout?.on('data', (d) => (stdout += d));
  const code = await new Promise<number | null>((r) => c.once('exit', r));
  if (code !== 0) throw new Error(`churnscope score exited with ${code}`);
  return (JSON.parse(stdout) as { rowsPerSecond: number }).rowsPerSecond;
}

/** A serve replica on the shared database, ready once /readyz answers (scripts/lib/bench-server). */
async function replica(db: string): Promise<{ base: string; proc: ChildProcess }> {
  const server = await startServer(
    'replica',
    (port) => [
      'bin/churnscope.js',
      'serve',
      '--port',
      String(port),
      '--db',
      db,
      '--model',
      MODEL_DIR,
      '--jobs-dir',
      path.join(work, 'jobs'),
    ],
    { CHURNSCOPE_LOG_LEVEL: 'warn', CHURNSCOPE_JOB_CHUNK_SIZE: String(CHUNK) },
  );
  return { base: server.base, proc: server.child };
}

/** Wall time from the accepted POST (upload stored, chunks enqueued) to the job's success, in rows/s. */
async function queuedJob(base: string, dump: string): Promise<{ rowsPerSecond: number; uploadSeconds: number }> {
  const t0 = performance.now();
  const res = await fetch(`${base}/v1/jobs?textCol=review`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body: fs.readFileSync(dump),
  });
  const { id } = (await res.json()) as { id: string };
  const t1 = performance.now();
  for (;;) {
    const s = (await (await fetch(`${base}/v1/jobs/${id}`)).json()) as { state: string; rowsDone: number };
    if (s.state === 'succeeded')
      return { rowsPerSecond: r1(s.rowsDone / ((performance.now() - t1) / 1000)), uploadSeconds: r2((t1 - t0) / 1000) };
    if (s.state !== 'queued' && s.state !== 'running') throw new Error(`job ${id} ended ${s.state}`);
    await sleep(25);
  }
}

async function withWorkers(db: string, base: string, n: number, dump: string, warm: string) {
  const workers = Array.from({ length: n }, () =>
    child(['worker', '--db', db, '--model', MODEL_DIR, '--threads', '1']),
  );
  try {
    await queuedJob(base, warm); // model load and first-call costs stay out of the figure
    return await queuedJob(base, dump);
  } finally {
    await Promise.all(workers.map((w) => stopServer(w)));
  }
}

/** The queue's own cost per chunk, no scoring: take, read the chunk, commit its rows, acknowledge. */
async function overheadPerChunk(db: string, reviews: string[]) {
  const store = await PostgresStore.create({ url: db, display: 'bench', logger: createLogger({ level: 'warn' }) });
  const queue = await store.openJobQueue();
  try {
    const id = 'overhead';
    await store.jobs.create({ id, input: { queued: true }, state: 'queued' });
    const chunks = Array.from({ length: OVERHEAD_CHUNKS }, (_, c) => ({
      index: c,
      firstRow: c * CHUNK,
      rows: Array.from({ length: CHUNK }, (_, i) => ({
        kind: 'row',
        line: c * CHUNK + i + 2,
        values: { review: reviews[(c * CHUNK + i) % reviews.length] },
      })),
    }));
    const t0 = performance.now();
    for (let c = 0; c < chunks.length; c += 8) await queue.addChunks(id, chunks.slice(c, c + 8));
    await queue.enqueue(id, chunks.length);
    const storeMs = (performance.now() - t0) / chunks.length;
    const t1 = performance.now();
    for (let done = 0; done < chunks.length;) {
      const d = await queue.take();
      if (!d) continue;
      const chunk = (await queue.chunk(d.jobId, d.chunk))!;
      const results: JobResultInput[] = chunk.rows.map((r, i) => ({
        rowIndex: chunk.firstRow + i,
        line: (r as { line: number }).line,
        output: {
          ...(r as { values: Record<string, unknown> }).values,
          risk: 0.5,
          band: 'medium',
          textRisk: 0.5,
          tabularRisk: null,
          rawProbability: 0.5,
          phrases: '',
        },
        error: null,
      }));
      await queue.commitChunk(d.jobId, d.chunk, results, (_job, t) => ({
        state: t.chunksLeft ? 'running' : 'succeeded',
      }));
      await queue.complete(d);
      done++;
    }
    const workMs = (performance.now() - t1) / chunks.length;
    return {
      chunkRows: CHUNK,
      chunks: chunks.length,
      storeAndEnqueueMs: r2(storeMs),
      takeCommitCompleteMs: r2(workMs),
    };
  } finally {
    await queue.dispose();
    await store.dispose();
  }
}

async function main(): Promise<void> {
  const setup = await createTestDatabase();
  if ('skip' in setup) throw new Error(`bench:scale needs PostgreSQL (CHURNSCOPE_TEST_PG): ${setup.skip}`);
  const { db } = setup;
  try {
    const reviews = parse<{ review: string }>(fs.readFileSync(REVIEWS), { columns: true }).map((r) => r.review);
    const dump = path.join(work, 'dump.csv');
    const warm = path.join(work, 'warm.csv');
    writeDump(dump, ROWS, reviews, 'scale');
    writeDump(warm, 300, reviews, 'warm');
    const { base, proc } = await replica(db.url);
    const runs = { inProcess2Threads: [] as number[], worker1: [] as number[], workers2: [] as number[] };
    const uploads: number[] = [];
    // Interleaved (a, b, c, c, b, a…) so drift in the machine's load falls on every configuration alike.
    const order = Array.from({ length: REPEATS }, (_, i) => (i % 2 ? [2, 1, 0] : [0, 1, 2])).flat();
    for (const which of order) {
      if (which === 0) {
        log(`in-process job, 2 threads, ${ROWS} rows`);
        runs.inProcess2Threads.push(await inProcess(dump));
      } else {
        log(`${which} worker(s), 1 thread each, ${ROWS} rows`);
        const r = await withWorkers(db.url, base, which, dump, warm);
        (which === 1 ? runs.worker1 : runs.workers2).push(r.rowsPerSecond);
        uploads.push(r.uploadSeconds);
      }
    }
    await stopServer(proc);
    log('queue overhead per chunk');
    const overhead = await overheadPerChunk(db.url, reviews);
    const mean = (xs: number[]) => r1(xs.reduce((a, b) => a + b, 0) / xs.length);
    const result = {
      rows: ROWS,
      chunkRows: CHUNK,
      model: path.relative(process.cwd(), MODEL_DIR),
      cores: os.cpus().length,
      loadAverage: os.loadavg().map(r2),
      rowsPerSecond: {
        inProcess2Threads: { mean: mean(runs.inProcess2Threads), runs: runs.inProcess2Threads },
        worker1Thread1: { mean: mean(runs.worker1), runs: runs.worker1 },
        workers2Thread1Each: { mean: mean(runs.workers2), runs: runs.workers2 },
      },
      ratios: {
        twoWorkersVsOne: r2(mean(runs.workers2) / mean(runs.worker1)),
        twoWorkersVsInProcess: r2(mean(runs.workers2) / mean(runs.inProcess2Threads)),
      },
      uploadSecondsPerJob: uploads.map(r2),
      queueOverheadPerChunk: overhead,
      statement:
        `${os.cpus().length} cores: two workers with one thread each and one process with two threads use the same ` +
        'cores, so this shows what the queue costs and that the work divides between processes, not how far more ' +
        'machines scale; on one machine the ceiling is the cores, on N machines each worker brings its own.',
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await db.drop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
