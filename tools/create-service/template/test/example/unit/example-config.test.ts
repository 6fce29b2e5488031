import { expect } from 'chai';
import { ConfigError } from '../../../src/core/index.ts';
import { readExampleConfig } from '../../../src/example/index.ts';

describe('readExampleConfig', () => {
  it('leaves the job URL unset when EXAMPLE_JOB_URL is unset', () => {
    expect(readExampleConfig({}).jobUrl).to.equal(undefined);
  });

  it('reads EXAMPLE_JOB_URL as a URL', () => {
    expect(readExampleConfig({ EXAMPLE_JOB_URL: 'http://127.0.0.1:8080/notify' }).jobUrl?.href).to.equal('http://127.0.0.1:8080/notify');
  });

  const refused: [string, string][] = [
    ['not a URL', 'somewhere'],
    ['not http(s)', 'ftp://127.0.0.1/'],
    ['with credentials', 'http://user:secret@127.0.0.1/'],
  ];
  for (const [description, value] of refused) {
    it(`refuses an EXAMPLE_JOB_URL ${description}, naming the variable`, () => {
      let thrown: unknown;
      try {
        readExampleConfig({ EXAMPLE_JOB_URL: value });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(ConfigError);
      expect((thrown as ConfigError).message).to.match(/EXAMPLE_JOB_URL/).and.not.to.match(/secret/);
    });
  }
});
