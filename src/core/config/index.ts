/** Configuration: the core's variables, and the reader services use for their own. */
export { readCoreConfig, DEFAULT_BAGGAGE_ALLOWED_HOSTS, DEFAULT_LOG_VALUE_LENGTH_LIMIT, LOG_FORMATS, LOG_LEVELS, NODE_ENVS, type CoreConfig, type LogFormatSetting, type LogLevel, type NodeEnv } from './core-config.ts';
export { ConfigError, EnvReader, readConfigFrom, type Env } from './env-reader.ts';
export { BATCH_PROCESSOR_PREFIXES, readBatchProcessorVariables, type BatchProcessorPrefix, type BatchProcessorVariables } from './batch-processor-variables.ts';
