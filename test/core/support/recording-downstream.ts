import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** The test-only certificate of 127.0.0.1 and localhost (fixtures/tls/README.md). */
export const TEST_TLS_CERT_FILE = new URL('./fixtures/tls/localhost-cert.pem', import.meta.url);
const TEST_TLS_KEY_FILE = new URL('./fixtures/tls/localhost-key.pem', import.meta.url);

/** A stand-in downstream service on a loopback address that answers `{}` and records request headers. */
export interface RecordingDownstream {
  readonly url: string;
  /** Headers of every request received, in order. */
  readonly received: IncomingHttpHeaders[];
  close(): Promise<void>;
}

/**
 * Starts a {@link RecordingDownstream} on `host`, default `127.0.0.1`. Another address of
 * 127.0.0.0/8 (Linux answers on all of them) stands in for another host on the machine.
 * With `tls`, it answers HTTPS with the test-only certificate ({@link TEST_TLS_CERT_FILE}).
 */
export async function startRecordingDownstream(host = '127.0.0.1', options: { tls?: boolean } = {}): Promise<RecordingDownstream> {
  const received: IncomingHttpHeaders[] = [];
  const answer: RequestListener = (req, res) => {
    received.push(req.headers);
    res.setHeader('content-type', 'application/json');
    res.end('{}');
  };
  const tls = options.tls === true;
  const server = tls ? createTlsServer({ cert: readFileSync(TEST_TLS_CERT_FILE), key: readFileSync(TEST_TLS_KEY_FILE) }, answer) : createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${port}/`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
