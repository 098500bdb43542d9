// Log level and format from the environment: the same variables for every command, validated the same way.
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

export const LOG_FORMATS = ['json', 'pretty'] as const;

/** CHURNSCOPE_LOG_FORMAT: json or pretty; unset means pretty at a terminal and JSON anywhere else. */
export function logFormat(env: NodeJS.ProcessEnv): (typeof LOG_FORMATS)[number] | undefined {
  const value = env.CHURNSCOPE_LOG_FORMAT;
  if (value === undefined || value === '') return undefined;
  if (!(LOG_FORMATS as readonly string[]).includes(value))
    throw new ConfigError(`CHURNSCOPE_LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}, got "${value}"`, {
      field: 'CHURNSCOPE_LOG_FORMAT',
    });
  return value as (typeof LOG_FORMATS)[number];
}
