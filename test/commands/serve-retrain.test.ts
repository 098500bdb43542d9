// The server's retrain job for real: trains on the served store, promotes a clearly better challenger and swaps to it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveRetrainJobs } from '../../src/commands/serve-retrain';
import { engineDefaults, loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logging';
import { ModelRegistry, openServingModel, type ModelSource } from '../../src/models';
import { runRetrain } from '../../src/retrain';
import { SqliteStore } from '../../src/store';
import { seedOutcomeStore } from '../helpers/outcome-store';
import { loadReviews } from '../helpers/reviews';
import { DEFAULT_BUNDLE } from '../helpers/tiny-bundle';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-retrain-'));
const modelsDir = path.join(dir, 'models');
const TRAIN = { backend: 'wasm', quantize: false, cacheDir: path.join(dir, 'cache') };
const engine = engineDefaults({ providers: ['cpu'] });
const logger = silentLogger();

beforeAll(async () => {
  const reviews = (await loadReviews()).slice(0, 300);
  await seedOutcomeStore(path.join(dir, 'shuffled.db'), reviews, { shuffleFirst: 240 });
  await seedOutcomeStore(path.join(dir, 'real.db'), reviews);
  // The champion this server starts on: trained on shuffled outcomes, so a real retrain clearly beats it.
  const store = await SqliteStore.create({ path: path.join(dir, 'shuffled.db'), logger });
  await runRetrain({
    store,
    out: path.join(modelsDir, 'weak'),
    baseData: [],
    heldBackFraction: 0.2,
    defaultModelDir: DEFAULT_BUNDLE,
    storeText: 'redacted',
    train: { ...TRAIN, mode: 'few-shot' },
    engine,
    logger,
    resamples: 50,
  }).finally(() => store.dispose());
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('serveRetrainJobs', () => {
  it('retrains from the served store, promotes the better challenger, and this server swaps to it', async () => {
    const store = await SqliteStore.create({ path: path.join(dir, 'real.db'), logger });
    const weak = path.join(modelsDir, 'weak');
    const known: ModelSource[] = [];
    const registry = new ModelRegistry({
      initial: await openServingModel({ dir: weak, engine, logger }),
      open: (d) => openServingModel({ dir: d, engine, logger }),
      known: () => known,
      logger,
    });
    const config = loadConfig({ env: {}, flags: { model: weak, modelsDir } });
    const jobs = await serveRetrainJobs({ config, store, registry, known, logger, trainDefaults: TRAIN });
    try {
      const started = jobs.start({ heldBackFraction: 0.2, promoteIfBetter: true, mode: 'few-shot' });
      await jobs.dispose();
      const job = jobs.get(started.id)!;
      expect(job.error).toBeNull();
      expect(job.state).toBe('succeeded');
      expect(job.report!.promoted).toBe(true);
      const version = job.report!.challenger.version;
      expect(registry.active().version).toBe(version);
      expect((await store.models.active())?.version).toBe(version);
      // Trained straight into the models folder, so nothing was copied.
      expect(path.dirname(job.report!.promotedTo!)).toBe(modelsDir);
      expect(known).toEqual([{ version, dir: job.report!.promotedTo }]);
    } finally {
      await registry.dispose();
      await store.dispose();
    }
  });
});
