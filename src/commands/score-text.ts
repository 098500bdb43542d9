// `churnscope score-text`: scores texts from the command line and prints one JSON line per text, risk calibrated as everywhere.
import { commandLogger } from './command-logger';
import { loadConfig } from '../config';

import { openServingModel } from '../models';

const round = (x: number) => Number(x.toFixed(4));

/**
 * No customer is named on this path, so `risk` is the text risk: the bundle's calibration applied to the model's
 * probability, the same value `POST /v1/score` returns for a text without a customer. The raw model output is printed
 * beside it as `rawProbability`.
 */
export async function scoreTextCommand(texts: string[], flags: { model?: string }): Promise<void> {
  const config = loadConfig({ env: process.env, flags });
  const logger = commandLogger();
  const model = await openServingModel({ dir: config.modelDir, engine: config.engine, logger });
  try {
    const scores = await model.engine.score(texts);
    scores.forEach((s, i) => {
      const risk = model.calibrator.risk(s.probability);
      const line = {
        text: texts[i],
        risk: round(risk),
        textRisk: round(risk),
        band: model.calibrator.band(risk),
        rawProbability: round(s.probability),
        model: model.version,
        windows: s.windows.count,
        tokens: s.tokens,
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    });
  } finally {
    await model.engine.dispose();
  }
}
