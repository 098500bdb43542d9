// Test helper: the real app with the real default model, over an in-memory store seeded through the public API.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { createApp, type AppDeps } from '../../src/api';
import { ServiceMetrics } from '../../src/api/metrics';
import { DEFAULT_MODEL_DIR, DEFAULT_PLAYBOOK, driftConfigSchema, engineDefaults } from '../../src/config';
import { DriftMonitor } from '../../src/drift';
import { JobRunner } from '../../src/jobs';
import { silentLogger } from '../../src/logging';
import { ModelRegistry, openServingModel } from '../../src/models';
import { Playbook } from '../../src/playbook';
import { SqliteStore, type TextSource } from '../../src/store';
import { call } from '../api/test-app';
import { loadReviews } from '../helpers/reviews';

export interface SeededServer {
  base: string;
  store: SqliteStore;
  /** How many texts were scored while seeding. */
  texts: number;
  customers: number;
  /** Another app over the same model and data, e.g. with API keys required; closed with this server. */
  sibling(extra: Partial<AppDeps>): Promise<string>;
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;
/** The seeded texts span the eight weeks before this instant. */
export const SEED_END = new Date('2026-11-20T15:00:00Z');
const SEGMENTS = ['smb', 'mid-market', 'enterprise'];
const SOURCES: TextSource[] = ['review', 'review', 'review', 'review', 'feedback', 'ticket', 'chat'];

interface SeedItem {
  text: string;
  customerId: string;
  source: TextSource;
  at: Date;
  explain: boolean;
}

/** Short reviews only: scoring cost grows with length, and a dashboard test needs many texts, not long ones. */
async function shortReviews(): Promise<string[]> {
  return (await loadReviews()).filter((r) => r.review.length <= 200).map((r) => r.review);
}

/**
 * Real reviews, spread deterministically over customers, sources and eight weeks; each customer's newest text is
 * explained (phrase drivers) so the at-risk list has drivers, the rest are not, which keeps seeding fast.
 */
async function seedItems(opts: { texts: number; customers: number }): Promise<SeedItem[]> {
  const reviews = (await shortReviews()).slice(0, opts.texts);
  const items = reviews.map((text, i): SeedItem => ({
    text,
    customerId: `cust-${String((i * 7) % opts.customers).padStart(3, '0')}`,
    source: SOURCES[i % SOURCES.length],
    at: new Date(SEED_END.getTime() - ((i * 37) % 56) * DAY_MS - (i % 11) * 3_600_000),
    explain: false,
  }));
  const newest = new Map<string, SeedItem>();
  for (const item of items) if ((newest.get(item.customerId)?.at ?? 0) < item.at) newest.set(item.customerId, item);
  for (const item of newest.values()) item.explain = true;
  return items.sort((a, b) => a.at.getTime() - b.at.getTime());
}

async function expectOk(what: string, reply: Promise<{ status: number; text: string }>): Promise<void> {
  const r = await reply;
  if (r.status >= 300) throw new Error(`seeding: ${what} answered ${r.status}: ${r.text.slice(0, 300)}`);
}

export async function startSeededServer(opts: { texts?: number; customers?: number } = {}): Promise<SeededServer> {
  const counts = { texts: opts.texts ?? 300, customers: opts.customers ?? 40 };
  const logger = silentLogger();
  const store = await SqliteStore.create({ path: ':memory:', logger });
  const engine = engineDefaults({ providers: ['cpu'] });
  const open = (dir: string) => openServingModel({ dir, engine, logger });
  const models = new ModelRegistry({ initial: await open(DEFAULT_MODEL_DIR), open, logger });
  const metrics = new ServiceMetrics({
    queueDepth: () => models.active().engine.queueDepth,
    activeModel: () => models.active().version,
  });
  // The scoring service stamps texts with the app's clock; moving it lets seeding write weeks of history.
  let now = SEED_END;
  const jobsDir = mkdtempSync(path.join(tmpdir(), 'churnscope-dashboard-jobs-'));
  const runner = await JobRunner.create({ store, acquireModel: () => models.acquire(), jobsDir, logger });
  const jobs = { runner, maxUploadBytes: 1 << 20, inputDirs: [] };
  // As serve wires it: the default bundle ships drift-reference.json, so the dashboard's drift panel has data. The
  // seed puts ~36 texts in the default 7-day window, under the 100 a real deployment needs before it reports.
  const drift = await DriftMonitor.create({
    store,
    models,
    settings: driftConfigSchema.parse({ minTexts: 30 }),
    logger,
    clock: () => now,
  });
  const deps: AppDeps = {
    models,
    store,
    drift,
    playbook: await Playbook.fromFile(DEFAULT_PLAYBOOK),
    metrics,
    logger,
    clock: () => now,
    jobs,
  };
  const servers: Server[] = [];
  const listen = async (extra: Partial<AppDeps>) => {
    const server = createApp({ ...deps, ...extra }).listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((r) => server.once('listening', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const base = await listen({});
  const close = async () => {
    await Promise.all(servers.map((server) => new Promise((r) => server.close(r))));
    await runner.stop();
    rmSync(jobsDir, { recursive: true, force: true });
    await drift.dispose();
    await models.dispose();
    await store.dispose();
  };
  try {
    await seed(base, store, counts, (at) => (now = at));
  } catch (e) {
    await close();
    throw e;
  }
  now = SEED_END;
  return { base, store, ...counts, sibling: listen, close };
}

async function seed(
  base: string,
  store: SqliteStore,
  counts: { texts: number; customers: number },
  setClock: (at: Date) => void,
): Promise<void> {
  for (let c = 0; c < counts.customers; c++) {
    const id = `cust-${String(c).padStart(3, '0')}`;
    await expectOk(
      `PUT customer ${id}`,
      call(base, 'PUT', `/v1/customers/${id}`, { features: {}, segment: SEGMENTS[c % SEGMENTS.length] }),
    );
  }
  // One request per day of history, every text of that day in it.
  const byDay = new Map<string, SeedItem[]>();
  for (const item of await seedItems(counts)) {
    const day = item.at.toISOString().slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), item]);
  }
  for (const [day, items] of byDay) {
    setClock(new Date(`${day}T12:00:00Z`));
    await expectOk(
      `POST /v1/score for ${day}`,
      call(base, 'POST', '/v1/score', {
        items: items.map(({ text, customerId, source, explain }) => ({ text, customerId, source, explain })),
      }),
    );
  }
  // Outcomes for a few customers, so themes can relate what was written to who actually left.
  for (let c = 0; c < 12; c++) {
    const id = `cust-${String(c).padStart(3, '0')}`;
    await expectOk(
      `feedback for ${id}`,
      call(base, 'POST', '/v1/feedback', { customerId: id, outcome: c % 3 === 0 ? 'retained' : 'churned' }),
    );
  }
  await runBatchJob(base, (await shortReviews()).slice(counts.texts, counts.texts + 30));
  await seedJobInProgress(store);
}

/** A real batch job through POST /v1/jobs, waited for, so the jobs panel shows one the runner finished. */
async function runBatchJob(base: string, texts: string[]): Promise<void> {
  const submitted = await call(
    base,
    'POST',
    '/v1/jobs?textCol=review',
    stringify(
      texts.map((review) => ({ review })),
      { header: true },
    ),
    'text/csv',
  );
  if (submitted.status !== 202)
    throw new Error(`seeding: POST /v1/jobs answered ${submitted.status}: ${submitted.text.slice(0, 300)}`);
  for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
    const job = (await call(base, 'GET', `/v1/jobs/${submitted.json.id}`)).json;
    if (job.state === 'succeeded') return;
    if (job.state !== 'queued' && job.state !== 'running')
      throw new Error(`seeding: batch job ended ${job.state}: ${job.error}`);
  }
  throw new Error('seeding: batch job did not finish within 60 s');
}

/**
 * A job caught half-way, written straight to the store after the runner started (so no runner picks it up): the
 * panel's progress bar and rate for a running job, without a test having to race a real one.
 */
async function seedJobInProgress(store: SqliteStore): Promise<void> {
  const running = await store.jobs.create({
    input: { format: 'csv', filename: 'october-tickets.csv', bytes: 1_930_442, textCol: 'text' },
    state: 'running',
  });
  await store.jobs.update(running.id, {
    counts: { rowsDone: 3100, rowsTotal: 12_000, scored: 3100, errors: 4, rowsPerSecond: 385 },
  });
}
