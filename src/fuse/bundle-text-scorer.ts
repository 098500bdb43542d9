// The default text scorer of fusion training: a model bundle's engine plus its calibration, so aggregates hold the same risks serving returns.
import { readBundleInfo } from '../bundle';
import { engineDefaults, type EngineConfig } from '../config';
import { openServingModel } from '../models';
import { ValidationError } from '../errors';
import type { Logger } from '../logging';

export type ScoreTexts = (texts: string[]) => Promise<number[]>;

export interface BundleTextScorerOptions {
  bundleDir: string;
  logger: Logger;
  config?: EngineConfig;
  /** Texts per engine call: bounds memory and lets progress be logged. */
  chunk?: number;
}

/** Loads the bundle once per call and releases it afterwards; training scores one file, then is done with the model. */
export function bundleTextScorer(opts: BundleTextScorerOptions): { version: string; score: ScoreTexts } {
  const info = readBundleInfo(opts.bundleDir);
  const chunk = opts.chunk ?? 256;
  const score: ScoreTexts = async (texts) => {
    const { engine, calibrator } = await openServingModel({
      dir: opts.bundleDir,
      engine: opts.config ?? engineDefaults(),
      logger: opts.logger,
    });
    const risks: number[] = [];
    try {
      for (let s = 0; s < texts.length; s += chunk) {
        const part = texts.slice(s, s + chunk);
        let scores;
        try {
          scores = await engine.score(part);
        } catch (e) {
          if (!(e instanceof ValidationError)) throw e;
          // The engine names the text by its index in this chunk; callers need its index in their own list.
          const k = part.length === 1 ? 0 : Number(/texts\[(\d+)\]/.exec(e.field ?? '')?.[1] ?? Number.NaN);
          const field = Number.isInteger(k) ? `texts[${s + k}]` : e.field;
          throw new ValidationError(e.message.replace(/^texts\[\d+\]|^text\b/, field ?? 'text'), { field, cause: e });
        }
        risks.push(...scores.map((x) => calibrator.risk(x.probability)));
        opts.logger.debug({ scored: risks.length, of: texts.length }, 'fusion: scoring texts');
      }
    } finally {
      await engine.dispose();
    }
    return risks;
  };
  return { version: info.version, score };
}
