// Scores a bundle's validation split with the bundle's own engine and turns the results into its drift reference.
import path from 'node:path';
import { BUNDLE_FILES, readBundleInfo, readValidationSet, type DriftReference } from '../bundle';
import { engineDefaults, type EngineConfig } from '../config';
import { createEngine } from '../engine';
import type { Logger } from '../logging';
import { RiskCalibrator } from '../score';
import { rareShareOf, readRareTokenRule } from '../tokenize';
import { buildDriftReference } from './build-reference';

export interface BundleReferenceOptions {
  dir: string;
  logger: Logger;
  /** Default: the CPU provider with precision auto, the file a CPU server runs. */
  engine?: EngineConfig;
  createdAt?: Date;
}

/**
 * The validation split keeps each text's first window of token ids (not its words), so every value is computed on that
 * window: one model pass per text, token counts capped at the bundle's maxTokens, rare share over the same ids.
 */
export async function driftReferenceForBundle(opts: BundleReferenceOptions): Promise<DriftReference> {
  const info = readBundleInfo(opts.dir);
  const validation = readValidationSet(opts.dir);
  const rule = readRareTokenRule(path.join(opts.dir, BUNDLE_FILES.tokenizer));
  const engine = await createEngine({
    bundleDir: opts.dir,
    config: opts.engine ?? engineDefaults({ providers: ['cpu'] }),
    logger: opts.logger,
    info,
  });
  try {
    const { embeddings, probabilities } = await engine.embedTokenized(validation.ids);
    const calibrator = new RiskCalibrator(info);
    const texts = validation.ids.map((ids, i) => ({
      risk: calibrator.risk(probabilities[i]),
      tokens: ids.length,
      rareShare: rareShareOf(ids, rule.isRare),
      embedding: embeddings[i],
      source: validation.sources[i],
    }));
    const { definition, unkId, rankCutoff, vocabSize } = rule;
    return buildDriftReference({
      model: info.version,
      engine: { precision: engine.precision, modelFile: engine.modelFile },
      tokenCap: info.maxTokens,
      rareTokens: { definition, unkId, rankCutoff, vocabSize },
      texts,
      createdAt: opts.createdAt,
    });
  } finally {
    await engine.dispose();
  }
}
