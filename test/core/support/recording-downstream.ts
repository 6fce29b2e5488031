import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stand-in downstream service on 127.0.0.1 that answers `{}` and records request headers. */
export interface RecordingDownstream {
  readonly url: string;
  /** Headers of every request received, in order. */
  readonly received: IncomingHttpHeaders[];
  close(): Promise<void>;
}

export async function startRecordingDownstream(): Promise<RecordingDownstream> {
  const received: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    received.push(req.headers);
    res.setHeader('content-type', 'application/json');
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
