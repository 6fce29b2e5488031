import { connect } from 'node:net';

/** A response read off the wire. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Sends `head` (request line and headers, CRLF-separated, without the blank line) and `body`
 * byte for byte, as a hostile client would, bypassing fetch's own checks; closes after one
 * response. `status` is 0 when the server closed the connection without answering.
 */
export async function rawRequest(port: number, head: string, body = ''): Promise<RawResponse> {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const payload = Buffer.concat([Buffer.from(`${head}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body, 'latin1')}\r\n\r\n`, 'latin1'), Buffer.from(body, 'latin1')]);
  socket.write(payload);
  await new Promise<void>((resolve) => {
    socket.once('close', () => {
      resolve();
    });
    socket.once('error', () => {
      resolve();
    });
  });
  const text = Buffer.concat(chunks).toString('latin1');
  const [headPart = '', ...rest] = text.split('\r\n\r\n');
  const [statusLine = '', ...headerLines] = headPart.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body: rest.join('\r\n\r\n') };
}
