import { expect } from 'chai';
import { parse } from 'yaml';
import { planService, SERVICE_NAME_PATTERN, serviceNameProblem } from '../../../../tools/create-service/index.ts';

/** True when YAML 1.1 (docker-compose 1.x) or YAML 1.2 (Compose v2) reads `text` as something else than the string `text`. */
function yamlReadsOtherwise(text: string): boolean {
  return parse(text, { version: '1.1' }) !== text || parse(text, { version: '1.2' }) !== text;
}

/** Every string of `length` characters of `alphabet` (ASCII). */
function strings(alphabet: string, length: number): string[] {
  if (length === 0) return [''];
  const characters = Array.from({ length: alphabet.length }, (_, index) => alphabet.charAt(index));
  return strings(alphabet, length - 1).flatMap((head) => characters.map((last) => head + last));
}

describe('serviceNameProblem', () => {
  for (const name of ['a', 'orders', 'api-gateway-2', '9lives', 'a--b', 'a'.repeat(63)]) {
    it(`accepts ${JSON.stringify(name.length > 20 ? `${name.slice(0, 8)}… (${name.length} characters)` : name)}`, () => {
      expect(serviceNameProblem(name)).to.equal(undefined);
    });
  }

  const dnsRule = /1 to 63 characters of a-z, 0-9 and -, starting and ending with a letter or digit/;
  const refused: [string, string, RegExp][] = [
    ['an empty name', '', dnsRule],
    ['upper case (npm and DNS labels are lower case)', 'Orders', dnsRule],
    ['an underscore', 'my_service', dnsRule],
    ['a dot', 'my.service', dnsRule],
    ['an npm scope', '@team/orders', dnsRule],
    ['a leading hyphen', '-orders', dnsRule],
    ['a trailing hyphen', 'orders-', dnsRule],
    ['64 characters (longer than a DNS label)', 'a'.repeat(64), dnsRule],
    ['a space', 'my service', dnsRule],
    ['a non-ASCII letter', 'ordérs', dnsRule],
    ['a newline', 'orders\nx', dnsRule],
    ['the name of a Node.js built-in module (npm refuses it)', 'http', /built-in module/],
    ["the collector's service in docker-compose.yml", 'otel-collector', /docker-compose\.yml already has a service of that name/],
    ["Jaeger's service in docker-compose.yml", 'jaeger', /docker-compose\.yml already has a service of that name/],
    ["VictoriaMetrics' service in docker-compose.yml", 'victoriametrics', /docker-compose\.yml already has a service of that name/],
  ];
  for (const [description, name, rule] of refused) {
    it(`refuses ${description}, quoting the name and stating the rule`, () => {
      const problem = serviceNameProblem(name);
      expect(problem).to.be.a('string').and.match(rule);
      expect(problem).to.include(JSON.stringify(name));
      // One line: the command prints it as its one line of error.
      expect(problem).not.to.include('\n');
    });
  }

  const readByYaml: [string, RegExp][] = [
    ['no', /YAML reads it as a boolean/],
    ['true', /YAML reads it as a boolean/],
    ['on', /YAML reads it as a boolean/],
    ['null', /YAML reads it as null/],
    ['123', /YAML reads it as a number \(and as a host name, an IPv4 address\)/],
    ['0x10', /YAML reads it as a number \(and as a host name, an IPv4 address\)/],
    ['1e3', /YAML reads it as a number/],
    ['2024-01-01', /YAML reads it as a date/],
  ];
  for (const [name, reading] of readByYaml) {
    it(`refuses ${JSON.stringify(name)}, which YAML reads as something else than text, saying so and naming a name that works`, () => {
      const problem = serviceNameProblem(name);
      expect(problem).to.be.a('string').and.match(reading).and.include(JSON.stringify(name)).and.include('docker-compose.yml');
      const suggested = /such as "([^"]+)"$/.exec(problem ?? '')?.[1];
      expect(suggested).to.equal(`${name}-service`);
      expect(serviceNameProblem(suggested!), `the suggested ${suggested}`).to.equal(undefined);
    });
  }

  it('refuses exactly the valid labels that YAML 1.1 or 1.2 reads as something else than text, among every short name of the letters and digits YAML looks at', () => {
    const candidates = [
      ...[1, 2, 3].flatMap((length) => strings('abeflnorstuxy0129-', length)),
      ...strings('e01x-', 4),
      ...['false', 'null', 'yes', 'off', '0xff', '0o17', '0o8', '0b101', '0b2', '1e-3', '12e10', '2024-1-1', '2024-13-45', '1999-12-31', '0x1g', '9lives', 'nan', 'inf', 'infinity'],
    ].filter((name) => SERVICE_NAME_PATTERN.test(name));
    const wrong = candidates.filter((name) => (serviceNameProblem(name)?.includes('YAML reads it') ?? false) !== yamlReadsOtherwise(name));
    expect(wrong, 'refused without YAML reading them otherwise, or the reverse').to.deep.equal([]);
    expect(candidates.filter(yamlReadsOtherwise)).to.include.members(['no', 'on', 'y', 'null', '120', '0x10', '1e2', '1e-1', 'e1', '0o17', '0b101', '2024-1-1']);
  });

  for (const name of ['9lives', '0x1g', '1e', 'yes-no', 'on1', '2024-01-01-service']) {
    it(`writes a docker-compose.yml that YAML 1.1 and 1.2 read with the name as text when it is ${JSON.stringify(name)}`, () => {
      const compose = planService(name).files.find((file) => file.path === 'docker-compose.yml')!.content.toString('utf8');
      for (const version of ['1.1', '1.2'] as const) {
        const { services } = parse(compose, { version }) as { services: Record<string, { image: unknown; environment: Record<string, unknown> }> };
        expect(Object.keys(services), `YAML ${version}`).to.include(name);
        expect(services[name]!.image, `YAML ${version}`).to.equal(`${name}:local`);
        expect(services[name]!.environment['OTEL_SERVICE_NAME'], `YAML ${version}`).to.equal(name);
      }
    });
  }
});
