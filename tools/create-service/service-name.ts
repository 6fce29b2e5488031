import { isBuiltin } from 'node:module';

/**
 * What a service name may look like: a DNS label (RFC 1123: 1 to 63 characters of a-z, 0-9
 * and `-`, starting and ending with a letter or digit). It becomes a docker compose service
 * (a host name on the compose network), `service.name` and the npm package name, and every
 * DNS label is also a valid npm package name, except the names of Node's built-in modules.
 */
export const SERVICE_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The other services of the generated docker-compose.yml: a service of the same name would replace one. */
export const RESERVED_SERVICE_NAMES: readonly string[] = ['otel-collector', 'jaeger', 'victorialogs', 'victorialogs-probe'];

/** The rule, as the usage text and error messages state it. */
export const SERVICE_NAME_RULE =
  '1 to 63 characters of a-z, 0-9 and -, starting and ending with a letter or digit (a DNS label, also a valid npm package name)';

/**
 * Why `name` cannot name a new service, or `undefined` when it can.
 * @returns one sentence quoting the name and stating the rule it breaks.
 */
export function serviceNameProblem(name: string): string | undefined {
  const quoted = JSON.stringify(name);
  if (!SERVICE_NAME_PATTERN.test(name)) return `invalid service name ${quoted}: use ${SERVICE_NAME_RULE}`;
  // npm refuses these for new packages ("is a core module name").
  if (isBuiltin(name)) return `invalid service name ${quoted}: it is the name of a Node.js built-in module, which npm refuses for a package`;
  if (RESERVED_SERVICE_NAMES.includes(name)) {
    return `invalid service name ${quoted}: docker-compose.yml already has a service of that name (${RESERVED_SERVICE_NAMES.join(', ')} are taken)`;
  }
  return undefined;
}
