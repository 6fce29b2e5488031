import { PassThrough } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** One JSON log line, parsed. */
type LogLine = Record<string, unknown>;

/** A logger's output held in memory: give `stream` to `createLogger`, read with `lines()`. */
export interface CapturedLog {
  readonly stream: PassThrough;
  /**
   * The lines written so far, parsed. It waits one turn of the event loop first: the
   * logger writes the lines of a turn together at its end.
   */
  lines(): Promise<LogLine[]>;
}

/** A fresh {@link CapturedLog}. */
export function capturedLog(): CapturedLog {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return {
    stream,
    lines: async () => {
      await nextTurn();
      return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogLine);
    },
  };
}
