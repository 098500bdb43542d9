// `churnscope eval`: scores a labelled file with a bundle and prints its metrics (calibrated, per source) as JSON.
import { commandLogger } from './command-logger';
import { loadConfig } from '../config';
import { openServingModel } from '../models';
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
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
