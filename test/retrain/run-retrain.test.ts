import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineDefaults } from '../../src/config';
import { silentLogger } from '../../src/logging';
import { runRetrain, type RetrainOptions } from '../../src/retrain';
import { SqliteStore } from '../../src/store';
import { seedOutcomeStore } from '../helpers/outcome-store';
import { loadReviews, type Review } from '../helpers/reviews';
import { DEFAULT_BUNDLE } from '../helpers/tiny-bundle';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrain-'));
let reviews: Review[];
let baseCsv: string;

beforeAll(async () => {
  // 300 real reviews as stored texts, one outcome an hour: the newest 60 are held back.
  reviews = (await loadReviews()).slice(0, 300);
  await seedOutcomeStore(path.join(dir, 'real.db'), reviews);
  // Training outcomes with shuffled labels (held-back ones real): a challenger that learnt nothing.
  await seedOutcomeStore(path.join(dir, 'shuffled.db'), reviews, { shuffleFirst: 240 });
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  baseCsv = path.join(dir, 'base.csv');
  const base = (await loadReviews()).slice(1000, 1100);
  fs.writeFileSync(baseCsv, `review,score\n${base.map((r) => `${quote(r.review)},${r.score}`).join('\n')}\n`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function retrain(db: string, out: string, extra: Partial<RetrainOptions> = {}) {
  const store = await SqliteStore.create({ path: path.join(dir, db), logger: silentLogger() });
  try {
    const report = await runRetrain({
      store,
      out: path.join(dir, out),
      baseData: [],
      heldBackFraction: 0.2,
      defaultModelDir: DEFAULT_BUNDLE,
      storeText: 'redacted',
      train: { mode: 'few-shot', backend: 'wasm', quantize: false, cacheDir: path.join(dir, 'cache'), seed: 1 },
      engine: engineDefaults({ providers: ['cpu'] }),
      logger: silentLogger(),
      resamples: 300,
      ...extra,
    });
    return { report, active: await store.models.active() };
  } finally {
    await store.dispose();
  }
}

describe('runRetrain', () => {
  it('refuses to promote a challenger trained on shuffled labels, and holds back the newest outcomes', async () => {
    const { report, active } = await retrain('shuffled.db', 'shuffled-bundle', { promote: {} });
    expect(report.promoted).toBe(false);
    expect(report.reason).toMatch(/not above zero/);
    expect(active).toBeNull();
    expect(report.champion.version).not.toBe(report.challenger.version);
    expect(report.challenger.rocAuc).toBeLessThan(report.champion.rocAuc);
    expect(report.difference.interval95![0]).toBeLessThanOrEqual(0);
    // The newest 20% by outcome time: reviews 240..299, whose outcomes came at hours 241..300.
    const heldLabels = reviews.slice(240).map((r) => (r.score === 'other' ? 1 : 0));
    expect(report.heldBack).toEqual({
      count: 60,
      positives: heldLabels.filter((l) => l === 1).length,
      from: new Date(Date.UTC(2026, 0, 1) + 241 * 3_600_000).toISOString(),
      to: new Date(Date.UTC(2026, 0, 1) + 300 * 3_600_000).toISOString(),
    });
    expect(report.trainedOn).toEqual({ count: 240, fromStore: 240, fromBaseData: 0 });
    expect(fs.existsSync(path.join(dir, 'shuffled-bundle', 'onnx/model.onnx'))).toBe(true);
  });

  it('promotes a clearly better challenger through the store, copying it into the models folder', async () => {
    const modelsDir = path.join(dir, 'models');
    const { report, active } = await retrain('real.db', 'real-bundle', {
      championDir: path.join(dir, 'shuffled-bundle'),
      promote: { modelsDir },
      baseData: [{ file: baseCsv, textCol: 'review', labelCol: 'score', positive: ['other'] }],
    });
    expect(report.difference.interval95![0]).toBeGreaterThan(0);
    expect(report.difference.rocAuc).toBeCloseTo(report.challenger.rocAuc - report.champion.rocAuc, 12);
    expect(report.promoted).toBe(true);
    expect(active?.version).toBe(report.challenger.version);
    expect(active?.path).toBe(path.join(modelsDir, report.challenger.version));
    expect(fs.existsSync(path.join(active!.path, 'onnx/model.onnx'))).toBe(true);
    expect(report.trainedOn).toEqual({ count: 340, fromStore: 240, fromBaseData: 100 });
  });

  it('compares without promoting when not asked to', async () => {
    const { report, active } = await retrain('shuffled.db', 'unasked', {
      championDir: path.join(dir, 'shuffled-bundle'),
      train: { mode: 'few-shot', backend: 'wasm', quantize: false, cacheDir: path.join(dir, 'cache'), seed: 2 },
    });
    expect(report.promoted).toBe(false);
    expect(report.reason).toMatch(/not asked to promote/);
    expect(active).toBeNull();
  });
});
