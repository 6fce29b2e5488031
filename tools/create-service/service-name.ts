import { isBuiltin } from 'node:module';

/**
 * What a service name may look like: a DNS label (RFC 1123: 1 to 63 characters of a-z, 0-9
 * and `-`, starting and ending with a letter or digit). It becomes a docker compose service
 * (a host name on the compose network), `service.name` and the npm package name, and every
 * DNS label is also a valid npm package name, except the names of Node's built-in modules.
 * Some labels are refused besides (see {@link serviceNameProblem}): those YAML reads as
 * something else than text.
 */
export const SERVICE_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The other services of the generated docker-compose.yml: a service of the same name would replace one. */
export const RESERVED_SERVICE_NAMES: readonly string[] = ['otel-collector', 'jaeger', 'victorialogs', 'victorialogs-probe', 'victoriametrics'];

/** The rule, as the usage text and error messages state it. */
export const SERVICE_NAME_RULE =
  '1 to 63 characters of a-z, 0-9 and -, starting and ending with a letter or digit (a DNS label, also a valid npm package name), ' +
  'that YAML reads as text: not yes, no, on, off, y, n, true, false, null, a number or a date';

/**
 * The labels YAML reads as something else than text, and what it reads them as. The
 * generated docker-compose.yml writes the name unquoted (the service's key, `image`,
 * `OTEL_SERVICE_NAME`), and the name will be written by hand in other YAML (CI, deployment
 * manifests): docker-compose 1.x reads YAML 1.1 (`no` is false, `2024-01-01` a date) and
 * refuses a service named false, or a variable set to false; Compose v2 and the `yaml`
 * package read YAML 1.2 (`1e3` is 1000, `0o17` is 15). The union of both is refused. Only the
 * characters of {@link SERVICE_NAME_PATTERN} can reach these.
 */
const YAML_READINGS: readonly { readonly pattern: RegExp; readonly reading: string }[] = [
  { pattern: /^(?:y|n|yes|no|on|off|true|false)$/, reading: 'a boolean' },
  { pattern: /^null$/, reading: 'null' },
  // Digits and 0x… are also IPv4 addresses as a host name (inet_aton, URL parsers): `123` is 0.0.0.123, `0x10` 0.0.0.16.
  { pattern: /^(?:\d+|0x[0-9a-f]+)$/, reading: 'a number (and as a host name, an IPv4 address)' },
  { pattern: /^(?:0o[0-7]+|0b[01]+|\d*e-?\d+)$/, reading: 'a number' },
  { pattern: /^\d{4}-\d\d?-\d\d?$/, reading: 'a date' },
];

/**
 * Why `name` cannot name a new service, or `undefined` when it can.
 * @returns one sentence quoting the name and stating the rule it breaks.
 */
export function serviceNameProblem(name: string): string | undefined {
  const quoted = JSON.stringify(name);
  if (!SERVICE_NAME_PATTERN.test(name)) return `invalid service name ${quoted}: use ${SERVICE_NAME_RULE}`;
  // npm refuses these for new packages ("is a core module name").
  if (isBuiltin(name)) return `invalid service name ${quoted}: it is the name of a Node.js built-in module, which npm refuses for a package`;
  const yaml = YAML_READINGS.find(({ pattern }) => pattern.test(name));
  if (yaml !== undefined) {
    return `invalid service name ${quoted}: YAML reads it as ${yaml.reading}, not as text, and docker-compose.yml names the service, its image and OTEL_SERVICE_NAME with it; add a word, such as ${JSON.stringify(`${name.slice(0, 55)}-service`)}`;
  }
  if (RESERVED_SERVICE_NAMES.includes(name)) {
    return `invalid service name ${quoted}: docker-compose.yml already has a service of that name (${RESERVED_SERVICE_NAMES.join(', ')} are taken)`;
  }
  return undefined;
}
