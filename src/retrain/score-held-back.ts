// Scores held-back texts with one bundle through the serving path, so the comparison measures what would serve.
import type { EngineConfig } from '../config';
import type { Logger } from '../logging';
import { averagePrecision, brierScore, rocAuc } from '../metrics';
import { openServingModel } from '../models';

export interface HeldBackScores {
  version: string;
  risks: number[];
}

export interface ModelSummary {
  version: string;
  rocAuc: number;
  prAuc: number;
  brier: number;
}

/** Calibrated risks, as the service returns them, in the order of `texts`. */
export async function scoreHeldBack(opts: {
  dir: string;
  texts: readonly string[];
  engine: EngineConfig;
  logger: Logger;
}): Promise<HeldBackScores> {
  const model = await openServingModel({ dir: opts.dir, engine: opts.engine, logger: opts.logger });
  const risks: number[] = [];
  try {
    for (let s = 0; s < opts.texts.length; s += 256) {
      const scores = await model.engine.score(opts.texts.slice(s, s + 256));
      risks.push(...scores.map((x) => model.calibrator.risk(x.probability)));
    }
  } finally {
    await model.engine.dispose();
  }
  return { version: model.version, risks };
}

export function summarise(scores: HeldBackScores, labels: readonly number[]): ModelSummary {
  return {
    version: scores.version,
    rocAuc: rocAuc(scores.risks, labels),
    prAuc: averagePrecision(scores.risks, labels),
    brier: brierScore(scores.risks, labels),
  };
}
