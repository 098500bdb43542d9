// Configuration contract: the schema-derived types and the single loader used at start-up.
export {
  loadConfig,
  parseConfig,
  engineDefaults,
  DEFAULT_MODEL_DIR,
  DEFAULT_PLAYBOOK,
  type ConfigSources,
} from './load-config';
export { PRECISIONS, driftConfigSchema } from './schema';
export type {
  Config,
  EngineConfig,
  ServerConfig,
  JobsConfig,
  ExecutionProvider,
  PrecisionSetting,
  DriftConfig,
  ShadowConfig,
} from './schema';
export { commandLogLevel, logFormat, LOG_FORMATS } from './log-settings';
export { LOG_LEVELS, type LogLevel } from './schema';
