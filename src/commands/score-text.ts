// `churnscope score-text`: scores texts from the command line and prints one JSON line per text.
import { loadConfig, commandLogLevel } from '../config';
import { createEngine } from '../engine';
import { createLogger } from '../logging';

export async function scoreTextCommand(texts: string[], flags: { model?: string }): Promise<void> {
  const config = loadConfig({ env: process.env, flags });
  const logger = createLogger({ level: commandLogLevel(process.env) });
  const engine = await createEngine({ bundleDir: config.modelDir, config: config.engine, logger });
  try {
    const scores = await engine.score(texts);
    scores.forEach((s, i) => {
      process.stdout.write(
        `${JSON.stringify({ text: texts[i], risk: Number(s.probability.toFixed(4)), windows: s.windows.count, tokens: s.tokens })}\n`,
      );
    });
  } finally {
    await engine.dispose();
  }
}
