// bench:fusion — semi-real fusion benchmark: real telecom customers paired with real reviews by a seeded, stated rule; prints JSON.
//
// The rule (fixed before the first run, never tuned to the outcome): every mlc_churn customer gets 0–3 reviews from
// fine_foods_train.csv, the count drawn uniformly from {0, 1, 2, 3}. Each review comes from the dissatisfied pool
// (score "other") with probability P_CHURN = 0.6 for churners and P_STAY = 0.25 for everyone else, otherwise from the
// satisfied pool (score "great"); reviews are drawn with replacement (the pools are smaller than the draws) and dated
// uniformly over the 90 days before NOW. Texts therefore carry churn signal only through the label, independent of
// behaviour given the label, which is the situation fusion is meant for.
//
// Both fusion methods run on the headline seed and on split seeds 1–5; the JSON's headline is FusionModel's default
// method. `--choose` runs only the split seeds, so a default can be picked without seeing the headline split.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_FUSION_METHOD, FUSION_METHODS, type FusionMethod } from '../src/fuse/fusion-model';
import { trainFusion, type FusionReport } from '../src/fuse/train-fusion';
import { bundleTextScorer } from '../src/fuse/bundle-text-scorer';
import { readRecords } from '../src/ingest';
import { createLogger } from '../src/logging';
import { rocAuc } from '../src/metrics';
import { rng } from '../src/sampling';

const argSeed = process.argv.indexOf('--seed');
const SEED = Number(argSeed > 0 ? process.argv[argSeed + 1] : (process.env.BENCH_SEED ?? 7));
const CHOOSE_ONLY = process.argv.includes('--choose');
const P_CHURN = 0.6;
const P_STAY = 0.25;
const MAX_REVIEWS = 3;
const WINDOW_DAYS = 90;
const NOW = Date.parse('2026-01-01T00:00:00Z');
const DAY_MS = 86_400_000;
const BUNDLE = 'models/default';
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
const started = performance.now();

async function read(file: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const r of readRecords(file)) rows.push(r.values);
  return rows;
}

const customers = await read('fixtures/data/mlc_churn.csv');
const reviews = await read('fixtures/data/fine_foods_train.csv');
const pools = {
  other: reviews.filter((r) => r.score === 'other').map((r) => String(r.review)),
  great: reviews.filter((r) => r.score === 'great').map((r) => String(r.review)),
};

const random = rng(SEED);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churnscope-bench-fusion-'));
const customersFile = path.join(dir, 'customers.jsonl');
const textsFile = path.join(dir, 'texts.jsonl');
const texts: string[] = [];
customers.forEach((c, i) => {
  const churned = c.churn === 'yes';
  const k = Math.floor(random() * (MAX_REVIEWS + 1));
  for (let j = 0; j < k; j++) {
    const pool = random() < (churned ? P_CHURN : P_STAY) ? pools.other : pools.great;
    const text = pool[Math.floor(random() * pool.length)];
    const timestamp = new Date(NOW - random() * WINDOW_DAYS * DAY_MS).toISOString();
    texts.push(JSON.stringify({ customer_id: `c${i + 1}`, text, timestamp }));
  }
});
// mlc_churn has no id column; the generated one is the row number.
fs.writeFileSync(
  customersFile,
  customers.map((c, i) => JSON.stringify({ customer_id: `c${i + 1}`, ...c })).join('\n') + '\n',
);
fs.writeFileSync(textsFile, texts.join('\n') + '\n');

// The default scorer, wrapped to also measure how well a single review separates the two pools (the text model's own strength).
const scorer = bundleTextScorer({ bundleDir: BUNDLE, logger });
const reviewRisk = new Map<string, number>();
const scoreOnce = async (batch: string[]) => {
  const missing = batch.filter((t) => !reviewRisk.has(t));
  if (missing.length > 0) {
    const risks = await scorer.score(missing);
    missing.forEach((t, i) => reviewRisk.set(t, risks[i]));
  }
  return batch.map((t) => reviewRisk.get(t)!);
};

/** Same texts and scores for every run; only the held-out split (seed) and the fusion method change. */
async function run(seed: number, method: FusionMethod): Promise<FusionReport> {
  return trainFusion({
    customersFile,
    schemaFile: 'fixtures/schemas/mlc_churn.schema.json',
    labelColumn: 'churn',
    idColumn: 'customer_id',
    textsFile,
    out: path.join(dir, `fusion-${method}-${seed}.json`),
    seed,
    now: NOW,
    logger,
    scoreTexts: scoreOnce,
    method,
  });
}

const round = (v: number) => Number(v.toFixed(4));
const mean = (xs: number[]) => round(xs.reduce((a, b) => a + b, 0) / xs.length);

// Split seeds 1–5 (other than the headline seed): the evidence the default method is chosen on, so the choice never sees SEED's split.
const OTHER_SPLITS = [1, 2, 3, 4, 5].filter((s) => s !== SEED);
const splitRuns: {
  seed: number;
  textOnly: number | null;
  tabularOnly: number | null;
  fused: Record<FusionMethod, number | null>;
}[] = [];
for (const seed of OTHER_SPLITS) {
  const byMethod = {} as Record<FusionMethod, FusionReport>;
  // One after the other: the first run scores the texts, and the rest must find them cached.
  for (const m of FUSION_METHODS) byMethod[m] = await run(seed, m);
  const first = byMethod[FUSION_METHODS[0]];
  splitRuns.push({
    seed,
    textOnly: first.heldOutWithTexts.text,
    tabularOnly: first.heldOut.tabular,
    fused: Object.fromEntries(FUSION_METHODS.map((m) => [m, byMethod[m].heldOut.fused])) as Record<
      FusionMethod,
      number | null
    >,
  });
}
const gainsOf = (m: FusionMethod) => splitRuns.map((s) => (s.fused[m] ?? 0) - (s.tabularOnly ?? 0));
const fusedMinusTabularMean = Object.fromEntries(FUSION_METHODS.map((m) => [m, mean(gainsOf(m))])) as Record<
  FusionMethod,
  number
>;
const betterOnOtherSplits = FUSION_METHODS.reduce((a, b) =>
  fusedMinusTabularMean[b] > fusedMinusTabularMean[a] ? b : a,
);
const otherSplits = {
  note: 'same generated texts, held-out split drawn with another seed; the default method was chosen on these alone',
  runs: splitRuns,
  fusedMinusTabularMean,
  fusedMinusTabularWins: Object.fromEntries(FUSION_METHODS.map((m) => [m, gainsOf(m).filter((g) => g > 0).length])),
  betterOnOtherSplits,
};
if (CHOOSE_ONLY) {
  // Selection mode: report the evidence and stop before the headline split is trained or scored.
  process.stdout.write(
    `${JSON.stringify({ benchmark: 'fusion method selection', pairingSeed: SEED, otherSplits, defaultMethod: DEFAULT_FUSION_METHOD, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) }, null, 2)}\n`,
  );
  process.exit(0);
}

const dissatisfied = new Set(pools.other);
const headline = async (method: FusionMethod) => {
  const r = await run(SEED, method);
  const all = r.heldOut;
  const wrote = r.heldOutWithTexts;
  const fusedBeatsBoth =
    (wrote.fused ?? 0) > (wrote.text ?? 1) &&
    (wrote.fused ?? 0) > (wrote.tabular ?? 1) &&
    (all.fused ?? 0) > (all.tabular ?? 1);
  return {
    report: r,
    summary: {
      rocAuc: { textOnly: wrote.text, tabularOnly: all.tabular, fused: all.fused },
      rocAucOnHeldOutWithTexts: {
        textOnly: wrote.text,
        textOnlyLatest: wrote.textLatest,
        tabularOnly: wrote.tabular,
        fused: wrote.fused,
      },
      fusedBeatsBoth,
      model: r.model,
    },
  };
};
const seedRuns = {} as Record<FusionMethod, Awaited<ReturnType<typeof headline>>>;
for (const m of FUSION_METHODS) seedRuns[m] = await headline(m);
const chosen = seedRuns[DEFAULT_FUSION_METHOD];
const report = chosen.report;
const scored = [...reviewRisk];
const reviewAuc = rocAuc(
  scored.map(([, r]) => r),
  scored.map(([t]) => (dissatisfied.has(t) ? 1 : 0)),
);

const out = {
  benchmark: 'fusion (semi-real: real customers, real reviews, synthetic pairing)',
  seed: SEED,
  rule: {
    reviewsPerCustomer: `uniform 0..${MAX_REVIEWS}`,
    pDissatisfiedReviewIfChurned: P_CHURN,
    pDissatisfiedReviewIfRetained: P_STAY,
    pools: 'fine_foods_train.csv: score "other" (dissatisfied) vs "great"; drawn with replacement',
    timestamps: `uniform over the ${WINDOW_DAYS} days before ${new Date(NOW).toISOString()}`,
  },
  strength: {
    oddsRatioPerReview: Number((P_CHURN / (1 - P_CHURN) / (P_STAY / (1 - P_STAY))).toFixed(2)),
    textModelReviewRocAuc: round(reviewAuc),
    textModel: scorer.version,
  },
  rows: {
    customers: report.customers.rows,
    churned: report.customers.churned,
    texts: report.texts?.used,
    uniqueReviews: report.texts?.uniqueScored,
    heldOut: report.heldOut.customers,
    heldOutWithTexts: report.heldOutWithTexts.customers,
  },
  method: DEFAULT_FUSION_METHOD,
  rocAuc: chosen.summary.rocAuc,
  rocAucOnHeldOutWithTexts: chosen.summary.rocAucOnHeldOutWithTexts,
  fusedBeatsBoth: chosen.summary.fusedBeatsBoth,
  methods: Object.fromEntries(FUSION_METHODS.map((m) => [m, seedRuns[m].summary])),
  otherSplits,
  caveat: `${BUNDLE} was trained on fine_foods_train.csv (80% of it), so most review risks here are in-sample and the per-review text signal is stronger than on unseen reviews`,
  textsFile,
  seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
};
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
if (!out.fusedBeatsBoth) process.exitCode = 1;
