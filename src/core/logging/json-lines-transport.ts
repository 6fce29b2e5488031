import type { Writable } from 'node:stream';
import Transport from 'winston-transport';
import { MESSAGE } from './json-line-format.ts';

/**
 * A winston transport that writes each formatted record as one line to a stream (stdout by
 * default).
 *
 * The lines written during one turn of the event loop go out in one write, at the end of
 * that turn (a write to stdout is a system call, and one per line was a third of an access
 * line's cost; tools/bench/profile.ts). On `exit` whatever is pending is written at once, so
 * a process that ends, even through an uncaught exception, loses no line; only a process
 * killed outright (SIGKILL) can lose the lines of its last turn. winston's own Console and
 * Stream transports also schedule a `logged` event per record; nothing here listens for it.
 */
export class JsonLinesTransport extends Transport {
  readonly #stream: Writable;

  constructor(stream: Writable = process.stdout) {
    super();
    this.#stream = stream;
  }

  override log(info: Record<symbol, unknown>, next: () => void): void {
    enqueueLine(this.#stream, `${String(info[MESSAGE])}\n`);
    next();
  }
}

// One queue per stream, shared by every logger writing to it, so lines keep their order.
const pendingByStream = new Map<Writable, string[]>();
let flushScheduled = false;
let flushOnExit = false;

function enqueueLine(stream: Writable, line: string): void {
  const pending = pendingByStream.get(stream);
  if (pending === undefined) pendingByStream.set(stream, [line]);
  else pending.push(line);
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(flushLines).unref();
  if (!flushOnExit) {
    flushOnExit = true;
    process.once('exit', flushLines);
  }
}

function flushLines(): void {
  flushScheduled = false;
  for (const [stream, lines] of pendingByStream) stream.write(lines.length === 1 ? lines[0] : lines.join(''));
  pendingByStream.clear();
}
