import type { IncomingMessage } from 'node:http';

/** Why {@link readBoundedBody} gave up. */
export type BodyReadFailure = 'tooLarge' | 'aborted';

/** The body, or why it was not read. */
export type BodyReadResult = { readonly body: Buffer } | { readonly failure: BodyReadFailure };

/**
 * Reads the request body, holding at most `limit` bytes: a declared `Content-Length` above it
 * is refused before a byte is read, and a body that grows past it (chunked, or longer than
 * declared) is refused at the chunk that crosses it, without waiting for its end. Either way
 * reading stops there: the caller answers, and should close the connection, since the rest
 * of the body was never read.
 */
export function readBoundedBody(req: IncomingMessage, limit: number): Promise<BodyReadResult> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve({ failure: 'tooLarge' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (result: BodyReadResult): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
      if ('failure' in result) req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      length += chunk.length;
      if (length > limit) finish({ failure: 'tooLarge' });
      else chunks.push(chunk);
    };
    const onEnd = (): void => {
      finish({ body: Buffer.concat(chunks, length) });
    };
    // 'close' before 'end': the client went away mid-body.
    const onClose = (): void => {
      finish({ failure: 'aborted' });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onClose);
  });
}
