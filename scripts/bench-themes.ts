// bench:themes — time to compute themes over 20,000 stored texts (the real reviews repeated), embedding timed apart; prints JSON.
//
// Every unique review of fixtures/data/fine_foods_train.csv is embedded once by the bundled model (ONNX Runtime);
// 20,000 texts are then stored (review i % 4,000, a customer per 4 texts, dated over 12 weeks, an outcome for
// every third customer) in a temporary SQLite file through the store. The headline is a cold GET /v1/themes
// equivalent: reading the stored texts and embeddings, clustering, describing, and storing the theme ids.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readBundleInfo } from '../src/bundle';
import { DEFAULT_MODEL_DIR, engineDefaults } from '../src/config';
import { createEngine } from '../src/engine';
import { readRecords } from '../src/ingest';
import { createLogger } from '../src/logging';
import { RiskCalibrator } from '../src/score';
import { SqliteStore } from '../src/store';
import { computeThemes, ThemesService } from '../src/themes';

const TEXTS = Number(process.env.BENCH_TEXTS ?? 20_000);
const TARGET_MS = 10_000;
const DAY_MS = 86_400_000;
const START = Date.parse('2024-01-01T00:00:00Z');
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });

async function main(): Promise<void> {
  const reviews: string[] = [];
  for await (const r of readRecords('fixtures/data/fine_foods_train.csv')) reviews.push(String(r.values.review));
  const unique = [...new Set(reviews)];
  const info = readBundleInfo(DEFAULT_MODEL_DIR);
  const calibrator = new RiskCalibrator(info);

  const engine = await createEngine({
    bundleDir: DEFAULT_MODEL_DIR,
    config: engineDefaults({ providers: ['cpu'] }),
    logger,
  });
  const t0 = performance.now();
  const scores = await engine.score(unique).finally(() => engine.dispose());
  const embedMs = performance.now() - t0;
  const byText = new Map(unique.map((text, i) => [text, scores[i]]));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churnscope-bench-themes-'));
  const store = await SqliteStore.create({ path: path.join(dir, 'bench.db'), logger });
  try {
    const t1 = performance.now();
    await store.transaction(async (tx) => {
      for (let i = 0; i < TEXTS; i++) {
        const text = reviews[i % reviews.length];
        const s = byText.get(text)!;
        const textRisk = calibrator.risk(s.probability);
        const createdAt = new Date(START + (i % 84) * DAY_MS + (i % 1000) * 1000);
        const textId = await tx.texts.insert({
          customerId: `c${Math.floor(i / 4)}`,
          source: 'review',
          text,
          hash: `h${i}`,
          createdAt,
        });
        await tx.scores.insert({
          textId,
          modelVersion: info.version,
          risk: textRisk,
          textRisk,
          tabularRisk: null,
          band: calibrator.band(textRisk),
          drivers: null,
          embedding: s.embedding,
          createdAt,
        });
      }
      // Outcomes follow the text: a customer whose first text is dissatisfied churns, others stay (a stated, synthetic rule).
      for (let c = 0; c < TEXTS / 4; c += 3) {
        const risk = calibrator.risk(byText.get(reviews[(c * 4) % reviews.length])!.probability);
        await tx.feedback.insert({
          customerId: `c${c}`,
          outcome: risk >= calibrator.thresholds.high ? 'churned' : 'retained',
        });
      }
    });
    const storeMs = performance.now() - t1;

    const service = new ThemesService({ store, logger, defaultMinRisk: () => calibrator.thresholds.medium });
    const t2 = performance.now();
    const result = await service.themes();
    const themesMs = performance.now() - t2;
    const t3 = performance.now();
    await service.themes();
    const cachedMs = performance.now() - t3;

    // The same work split into its two halves: reading from SQLite, and the computation itself.
    const t4 = performance.now();
    const texts = await store.scoredTexts.list();
    const readMs = performance.now() - t4;
    const t5 = performance.now();
    const fit = computeThemes({ texts, outcomes: new Map(), minRisk: calibrator.thresholds.medium });
    const computeMs = performance.now() - t5;

    const perTextMs = embedMs / unique.length;
    const report = {
      texts: TEXTS,
      uniqueTexts: unique.length,
      dissatisfiedTexts: result.dissatisfiedTexts,
      minRisk: Number(result.filters.minRisk.toFixed(4)),
      themes: result.themes.length,
      unassignedShare: Number(result.unassignedShare.toFixed(4)),
      silhouettes: fit.silhouettes.map((s) => ({ k: s.k, silhouette: Number(s.silhouette.toFixed(4)) })),
      largest: result.themes.slice(0, 5).map((t) => ({
        size: t.size,
        keywords: t.keywords.slice(0, 6).join(', '),
        churnLift: t.churnLift === null ? null : Number(t.churnLift.toFixed(2)),
      })),
      ms: {
        themesExcludingEmbedding: Math.round(themesMs),
        readStoredTexts: Math.round(readMs),
        computeOnly: Math.round(computeMs),
        cachedRepeat: Number(cachedMs.toFixed(1)),
        embedUniqueTexts: Math.round(embedMs),
        embedPerText: Number(perTextMs.toFixed(2)),
        themesIncludingEmbedding: Math.round(themesMs + perTextMs * TEXTS),
        storeTexts: Math.round(storeMs),
      },
      targetMsExcludingEmbedding: TARGET_MS,
      withinTarget: themesMs <= TARGET_MS,
      notes:
        'themesIncludingEmbedding = themesExcludingEmbedding + embedPerText × texts (every stored text embedded once, as scoring does); the unique reviews were embedded once for real.',
      machine: { cpus: os.cpus().length, loadAverage1m: Number(os.loadavg()[0].toFixed(2)), node: process.version },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await store.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:themes failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
