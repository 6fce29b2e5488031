import http, { type RequestOptions } from 'node:http';
import { expect } from 'chai';
import { runWithSession } from '../../../src/core/context/run-with-session.ts';
import { startRecordingDownstream, type RecordingDownstream } from '../support/recording-downstream.ts';

/**
 * The baggage allowlist judges the host Node connects to (issue 22, item 13), for every shape
 * of `http.request` options, through the real http instrumentation of the integration
 * preload, whose allowlist is the default: loopback (`localhost`, `127.0.0.1`, `::1`).
 */
describe('outgoing baggage allowlist and the host node:http connects to', () => {
  let ipv4: RecordingDownstream;
  let ipv6: RecordingDownstream;
  let other: RecordingDownstream;

  before(async () => {
    ipv4 = await startRecordingDownstream('127.0.0.1');
    ipv6 = await startRecordingDownstream('::1');
    // Another loopback address: a host of its own by name, not on the allowlist.
    other = await startRecordingDownstream('127.0.0.2');
  });

  after(async () => {
    await Promise.all([ipv4.close(), ipv6.close(), other.close()]);
  });

  // Read off the end of the URL: the recording downstream writes an IPv6 host without brackets.
  const portOf = (downstream: RecordingDownstream): number => Number(/:(\d+)\/$/.exec(downstream.url)?.[1]);

  /** Calls with `http.get(...args)` inside session `sessionId`; answers the baggage `downstream` received with it. */
  async function baggageReceived(downstream: RecordingDownstream, sessionId: string, ...args: [RequestOptions] | [string | URL, RequestOptions?]): Promise<string | undefined> {
    const before = downstream.received.length;
    await new Promise<void>((resolve, reject) => {
      runWithSession({ sessionId }, () => {
        const onResponse = (response: http.IncomingMessage): void => {
          response.resume();
          response.on('end', resolve);
        };
        const request = args.length === 1 ? http.get(args[0], onResponse) : http.get(args[0], args[1] ?? {}, onResponse);
        request.on('error', reject);
      });
    });
    expect(downstream.received, 'requests the downstream received').to.have.length(before + 1);
    const header = downstream.received[before]!.baggage;
    return Array.isArray(header) ? header.join(',') : header;
  }

  it('sends baggage for { host: "::1" } (an IPv6 address, not a host and a port)', async () => {
    expect(await baggageReceived(ipv6, 'dest-ipv6-host', { host: '::1', port: portOf(ipv6) })).to.equal('session.id=dest-ipv6-host');
  });

  it('sends baggage for { port } alone (node:http calls localhost)', async () => {
    expect(await baggageReceived(ipv4, 'dest-port-only', { port: portOf(ipv4) })).to.equal('session.id=dest-port-only');
  });

  it('sends baggage for { hostname: "", host: "127.0.0.1" } (an empty hostname gives way to host)', async () => {
    expect(await baggageReceived(ipv4, 'dest-empty-hostname', { hostname: '', host: '127.0.0.1', port: portOf(ipv4) })).to.equal(
      'session.id=dest-empty-hostname',
    );
  });

  it('sends baggage for a URL object and a URL string of an allowed host', async () => {
    expect(await baggageReceived(ipv6, 'dest-url-object', new URL(`http://[::1]:${portOf(ipv6)}/`))).to.equal('session.id=dest-url-object');
    expect(await baggageReceived(ipv4, 'dest-url-string', `http://localhost:${portOf(ipv4)}/`)).to.equal('session.id=dest-url-string');
  });

  it('sends no baggage where the host Node connects to is not allowed, whatever the other fields say', async () => {
    // hostname wins over host.
    expect(await baggageReceived(other, 'dest-hostname-wins', { hostname: '127.0.0.2', host: '127.0.0.1', port: portOf(other) })).to.equal(undefined);
    // Options after a URL override its host, for Node as for the allowlist.
    expect(await baggageReceived(other, 'dest-url-overridden', `http://127.0.0.1:${portOf(other)}/`, { hostname: '127.0.0.2' })).to.equal(undefined);
    expect(await baggageReceived(other, 'dest-other-host', `http://127.0.0.2:${portOf(other)}/`)).to.equal(undefined);
  });
});
