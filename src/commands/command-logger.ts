// The logger of a one-shot command: level and format from the environment (quiet by default, readable at a terminal).
import { commandLogLevel, logFormat } from '../config';
import { createLogger, type Logger } from '../logging';

export function commandLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  return createLogger({ level: commandLogLevel(env), format: logFormat(env) });
}
