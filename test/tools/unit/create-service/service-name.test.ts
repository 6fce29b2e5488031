import { expect } from 'chai';
import { serviceNameProblem } from '../../../../tools/create-service/index.ts';

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
});
