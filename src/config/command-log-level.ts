// The log level of a one-shot CLI command: the same variables as `serve`, validated the same way, quieter by default.
import { ConfigError } from '../errors';
import { LOG_LEVELS, logLevelSchema, type LogLevel } from './schema';

/**
 * CHURNSCOPE_LOG_LEVEL, then LOG_LEVEL (as loadConfig reads them for serve). Commands that print a report on stdout
 * default to warn so a terminal shows the report, not start-up chatter; asking for info gets info.
 */
export function commandLogLevel(env: NodeJS.ProcessEnv, fallback: LogLevel = 'warn'): LogLevel {
  const name = env.CHURNSCOPE_LOG_LEVEL !== undefined ? 'CHURNSCOPE_LOG_LEVEL' : 'LOG_LEVEL';
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = logLevelSchema.safeParse(value);
  if (!parsed.success)
    throw new ConfigError(`${name} must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`, { field: name });
  return parsed.data;
}
