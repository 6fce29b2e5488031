import { expect } from 'chai';
import { httpRequestHost, recordOutgoingHost, takeOutgoingHost } from '../../../../../src/core/telemetry/session-bridge/outgoing-destination.ts';

describe('httpRequestHost', () => {
  it('is the host Node connects to: hostname, else host, else localhost', () => {
    const cases: [Parameters<typeof httpRequestHost>[0], string][] = [
      [{ hostname: 'orders', host: 'billing' }, 'orders'],
      [{ host: 'orders' }, 'orders'],
      // An IPv6 address in host is the address, not a host and a port.
      [{ host: '::1' }, '::1'],
      [{ hostname: '::1' }, '::1'],
      // Node skips an empty hostname, as it skips a missing one.
      [{ hostname: '', host: '127.0.0.1' }, '127.0.0.1'],
      [{ hostname: null, host: '127.0.0.1' }, '127.0.0.1'],
      // { port } alone, or nothing at all: Node calls localhost.
      [{}, 'localhost'],
      [{ hostname: '', host: '' }, 'localhost'],
      [{ hostname: undefined, host: null }, 'localhost'],
      // Node takes host whole: 'orders:8080' is not a name it can connect to, so neither is it allowed as 'orders'.
      [{ host: 'orders:8080' }, 'orders:8080'],
    ];
    for (const [options, host] of cases) expect(httpRequestHost(options), JSON.stringify(options)).to.equal(host);
  });
});

describe('recordOutgoingHost / takeOutgoingHost', () => {
  it('hands the recorded host, lower case and without IPv6 brackets, to one take', () => {
    recordOutgoingHost('[::1]');
    expect(takeOutgoingHost()).to.equal('::1');
    expect(takeOutgoingHost()).to.equal(undefined);
    recordOutgoingHost('Orders.Internal');
    expect(takeOutgoingHost()).to.equal('orders.internal');
  });
});
