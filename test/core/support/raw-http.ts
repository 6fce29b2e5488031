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
 * response. `status` is 0 when the server closed the connection without answering. Rejects
 * when the server has not closed the connection within `timeoutMs`.
 */
export async function rawRequest(port: number, head: string, body = '', timeoutMs = 15_000): Promise<RawResponse> {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  // A reset (the server closing while the body is still being written) is an answer too:
  // 'close' follows every 'error', so wait for 'close' alone.
  socket.on('error', () => undefined);
  const payload = Buffer.concat([Buffer.from(`${head}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body, 'latin1')}\r\n\r\n`, 'latin1'), Buffer.from(body, 'latin1')]);
  socket.write(payload);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`No answer and no close within ${timeoutMs} ms to ${JSON.stringify(head.slice(0, 80))} (${Buffer.concat(chunks).length} bytes received)`));
    }, timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
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
