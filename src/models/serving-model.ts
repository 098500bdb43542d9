// One loaded, servable model: its bundle metadata, engine and calibrator, opened and released together.
import path from 'node:path';
import {
  BUNDLE_FILES,
  hasDriftReference,
  readBundleInfo,
  readDriftReference,
  type BundleInfo,
  type DriftReference,
} from '../bundle';
import type { EngineConfig } from '../config';
import { createEngine, type BatchStats, type InferenceEngine } from '../engine';
import { openPhraseDrivers, type PhraseDrivers } from '../explain';
import type { Logger } from '../logging';
import { RiskCalibrator } from '../score';

export interface ServingModel {
  readonly version: string;
  readonly dir: string;
  readonly info: BundleInfo;
  readonly engine: InferenceEngine;
  readonly calibrator: RiskCalibrator;
  /** Phrase drivers with the method chosen at open; absent (test doubles): occlusion through the engine. */
  readonly drivers?: PhraseDrivers;
  /** The bundle's drift-reference.json; absent for bundles made before it existed (drift then says so). */
  readonly driftReference?: DriftReference;
}

export interface OpenModelOptions {
  dir: string;
  engine: EngineConfig;
  logger: Logger;
  onBatch?: (stats: BatchStats) => void;
}

/** Opens a bundle fully (config, tokenizer, ONNX session with its I/O checks) before anyone can route to it. */
export async function openServingModel(opts: OpenModelOptions): Promise<ServingModel> {
  const info = readBundleInfo(opts.dir);
  // Read before the session opens, so a malformed file fails the open instead of every drift query later.
  const driftReference = hasDriftReference(opts.dir) ? readDriftReference(opts.dir) : undefined;
  const engine = await createEngine({
    bundleDir: opts.dir,
    config: opts.engine,
    logger: opts.logger,
    onBatch: opts.onBatch,
    info,
  });
  const drivers = await openPhraseDrivers({
    engine,
    fp32ModelFile: path.join(opts.dir, BUNDLE_FILES.model),
    logger: opts.logger.child({ model: info.version }),
  }).catch(async (e: unknown) => {
    await engine.dispose();
    throw e;
  });
  const calibrator = new RiskCalibrator(info);
  return { version: info.version, dir: opts.dir, info, engine, calibrator, drivers, driftReference };
}
