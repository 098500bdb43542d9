// fp32 vs int8 on a bundle's validation split: the same served calibration and threshold on both, so only precision differs.
import { readBundleInfo, type ValidationSet } from '../../src/bundle';
import { modelFileProbabilities } from '../../src/engine';
import type { Logger } from '../../src/logging';
import { evaluate, type EvalMetrics } from '../../src/metrics';
import { applyCalibration } from '../../src/score/calibration';

export interface PrecisionComparison {
  /** Metrics on the validation split with the bundle's served calibration, at its "high" band threshold. */
  fp32: EvalMetrics;
  int8: EvalMetrics;
  /** fp32 ROC-AUC minus int8 ROC-AUC (positive = int8 is worse). */
  rocAucLoss: number;
  /** |p_int8 − p_fp32| over the validation texts, calibrated risk. */
  maxAbsDiff: number;
  meanAbsDiff: number;
  /** The largest ROC-AUC loss the gate accepted. */
  maxRocAucLoss: number;
  /** Weight products rewritten to int8, and those kept in fp32 (with why). */
  quantizedProducts: number;
  keptProducts: { node: string; reason: string }[];
}

export interface CompareOptions {
  bundleDir: string;
  fp32Path: string;
  int8Path: string;
  validation: ValidationSet;
  threads: number;
  logger: Logger;
}

export async function comparePrecisions(
  o: CompareOptions,
): Promise<Omit<PrecisionComparison, 'maxRocAucLoss' | 'quantizedProducts' | 'keptProducts'>> {
  const info = readBundleInfo(o.bundleDir);
  const serve = (raw: Float32Array) =>
    info.calibration ? Float32Array.from(raw, (p) => applyCalibration(info.calibration!, p)) : raw;
  const run = async (modelPath: string) =>
    serve(await modelFileProbabilities(o.validation.ids, { modelPath, threads: o.threads, logger: o.logger }));
  const fp32Risk = await run(o.fp32Path);
  const int8Risk = await run(o.int8Path);
  const threshold = info.bands?.high ?? 0.5;
  const fp32 = evaluate(fp32Risk, o.validation.labels, threshold);
  const int8 = evaluate(int8Risk, o.validation.labels, threshold);
  let max = 0;
  let sum = 0;
  fp32Risk.forEach((p, i) => {
    const d = Math.abs(p - int8Risk[i]);
    max = Math.max(max, d);
    sum += d;
  });
  return {
    fp32,
    int8,
    rocAucLoss: (fp32.rocAuc ?? 0) - (int8.rocAuc ?? 0),
    maxAbsDiff: max,
    meanAbsDiff: fp32Risk.length ? sum / fp32Risk.length : 0,
  };
}
