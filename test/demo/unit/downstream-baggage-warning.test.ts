import { expect } from 'chai';
import { createLogger, readCoreConfig } from '../../../src/core/index.ts';
import { demoRoutes } from '../../../src/demo/index.ts';
import { capturedLog } from '../../core/support/captured-log.ts';

const WARNING = 'calls to DOWNSTREAM_URL will carry no baggage: its host is not in BAGGAGE_ALLOWED_HOSTS';

/** The warnings the demo's routes log when built from `env`, as startService builds them. */
async function warningsAtStart(env: Record<string, string>): Promise<Record<string, unknown>[]> {
  const log = capturedLog();
  const logger = createLogger({ level: 'info', stream: log.stream });
  demoRoutes({ env, config: readCoreConfig(env), logger });
  return (await log.lines()).filter((line) => line['level'] === 'warn');
}

describe('the demo and the baggage allowlist', () => {
  it('warns at start when DOWNSTREAM_URL names a host BAGGAGE_ALLOWED_HOSTS (default loopback) leaves out', async () => {
    const warnings = await warningsAtStart({ DOWNSTREAM_URL: 'http://orders:3000/api/orders' });
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include({ message: WARNING, 'server.address': 'orders', allowed_hosts: 'localhost,127.0.0.1,::1' });
  });

  it('says nothing when BAGGAGE_ALLOWED_HOSTS lists the host, as docker-compose.yml does for orders', async () => {
    expect(await warningsAtStart({ DOWNSTREAM_URL: 'http://orders:3000/api/orders', BAGGAGE_ALLOWED_HOSTS: 'orders' })).to.deep.equal([]);
    expect(await warningsAtStart({ DOWNSTREAM_URL: 'http://[::1]:3001/api/session' })).to.deep.equal([]);
  });

  it('says nothing for the default downstream, the service itself at 127.0.0.1, and warns when the list leaves loopback out', async () => {
    expect(await warningsAtStart({})).to.deep.equal([]);
    const warnings = await warningsAtStart({ BAGGAGE_ALLOWED_HOSTS: 'orders' });
    expect(warnings.map((line) => [line['message'], line['server.address']])).to.deep.equal([[WARNING, '127.0.0.1']]);
  });
});
