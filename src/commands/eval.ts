// `churnscope eval`: scores a labelled file with a bundle and prints its metrics (calibrated, per source) as JSON.
import { commandLogger } from './command-logger';
import { loadConfig } from '../config';
import { openServingModel } from '../models';
import { compareWithBaseline, describeComparison } from '../baseline';
import { hasBaseline, readBaseline } from '../bundle';
import { readLabelledTexts } from '../ingest';

import { labelledDataSpec, type LabelledDataFlags } from './labelled-data-flags';
import { evaluate, evaluateByGroup } from '../metrics';

export interface EvalFlags extends LabelledDataFlags {
  /** auto | fp32 | int8, validated by loadConfig. */
  precision?: string;
  model?: string;
}

export async function evalCommand(flags: EvalFlags): Promise<void> {
  const config = loadConfig({ env: process.env, flags: { model: flags.model, precision: flags.precision } });
  const logger = commandLogger();
  const data = await readLabelledTexts({ ...labelledDataSpec(flags), minRows: 2 });
  const { engine, calibrator, info } = await openServingModel({ dir: config.modelDir, engine: config.engine, logger });
  const loaded = { precision: engine.precision, modelFile: engine.modelFile };
  const risks: number[] = [];
  try {
    for (let s = 0; s < data.rows.length; s += 256) {
      const scores = await engine.score(data.rows.slice(s, s + 256).map((r) => r.text));
      risks.push(...scores.map((x) => calibrator.risk(x.probability)));
    }
  } finally {
    await engine.dispose();
  }
  const labels = data.rows.map((r) => r.label);
  const threshold = calibrator.thresholds.high;
  const report = {
    model: info.version,
    ...loaded,
    data: { file: flags.data, rows: data.rows.length, positives: data.positives, skippedEmpty: data.skippedEmpty },
    threshold: { band: 'high', value: threshold },
    overall: evaluate(risks, labels, threshold),
    bySource: evaluateByGroup(
      risks,
      labels,
      data.rows.map((r) => r.source),
      threshold,
    ),
  };
  const baseline = baselineFor(config.modelDir, data.rows, risks, labels);
  process.stdout.write(`${JSON.stringify({ ...report, baseline }, null, 2)}\n`);
  if (baseline) process.stderr.write(`${describeComparison(baseline)}\n`);
}

/** The bundle's own TF-IDF baseline on the same file; older bundles have none, and the report says null. */
function baselineFor(bundleDir: string, rows: { text: string }[], risks: number[], labels: number[]) {
  if (!hasBaseline(bundleDir) || new Set(labels).size < 2) return null;
  const probs = readBaseline(bundleDir).predict(rows.map((r) => r.text));
  return compareWithBaseline(risks, probs, labels);
}
