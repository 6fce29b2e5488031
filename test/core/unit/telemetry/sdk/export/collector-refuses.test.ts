import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { collectorRefuses } from '../../../../../../src/core/telemetry/sdk/export/collector-refuses.ts';
import { closedPort } from '../../../../support/ports.ts';

describe('collectorRefuses', () => {
  let server: Server | undefined;

  afterEach(async () => {
    const listening = server;
    server = undefined;
    if (listening !== undefined) await new Promise((resolve) => listening.close(resolve));
  });

  async function acceptingEndpoint(): Promise<string> {
    const accepting = createServer((socket) => socket.destroy());
    server = accepting;
    await new Promise<void>((resolve) => accepting.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(accepting.address() as AddressInfo).port}/v1/traces`;
  }

  it('is true when every endpoint refuses connections, URLs and gRPC targets without a scheme alike', async () => {
    const port = await closedPort();
    expect(await collectorRefuses([`http://127.0.0.1:${port}/v1/traces`, `127.0.0.1:${port}`])).to.equal(true);
  });

  it('is false when one endpoint accepts connections', async () => {
    const accepting = await acceptingEndpoint();
    expect(await collectorRefuses([accepting])).to.equal(false);
    expect(await collectorRefuses([`http://127.0.0.1:${await closedPort()}/v1/logs`, accepting])).to.equal(false);
  });

  it('is false for no endpoint and for an endpoint it cannot read', async () => {
    expect(await collectorRefuses([])).to.equal(false);
    expect(await collectorRefuses(['http://[not an address/'])).to.equal(false);
  });

  it('is false for gRPC targets it cannot probe over TCP (dns:///, unix:), even next to one that refuses', async () => {
    const refusing = `127.0.0.1:${await closedPort()}`;
    expect(await collectorRefuses([refusing])).to.equal(true);
    expect(await collectorRefuses([refusing, `dns:///127.0.0.1:${await closedPort()}`])).to.equal(false);
    expect(await collectorRefuses([refusing, 'unix:/tmp/no-such-collector.sock'])).to.equal(false);
    expect(await collectorRefuses([`[::1]:${await closedPort()}`, `localhost:${await closedPort()}`])).to.equal(true);
  });
});
