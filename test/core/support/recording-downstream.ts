import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

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
 */
export async function startRecordingDownstream(host = '127.0.0.1'): Promise<RecordingDownstream> {
  const received: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    received.push(req.headers);
    res.setHeader('content-type', 'application/json');
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
