import packageJson from '../../../package.json' with { type: 'json' };

/** `service.name` when OTEL_SERVICE_NAME does not set one. */
export const DEFAULT_SERVICE_NAME: string = packageJson.name;

/** `service.version`: the package version. */
export const SERVICE_VERSION: string = packageJson.version;
