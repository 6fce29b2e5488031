import { Writable } from 'node:stream';
import type { LookupIo } from '../../../../tools/session-traces/run-lookup.ts';

/** A stream that keeps what is written, synchronously; a colour terminal when `colours`. */
export function capturingStream(colours = false): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const writable = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString('utf8');
      callback();
    },
  });
  if (colours) Object.assign(writable, { isTTY: true, hasColors: () => true, getColorDepth: () => 8, columns: 200 });
  return { stream: writable as unknown as NodeJS.WriteStream, text: () => text };
}

/** A {@link LookupIo} whose output the test reads and whose Ctrl-C the test presses. */
export interface CapturedIo {
  readonly io: LookupIo;
  stdout(): string;
  stderr(): string;
  /** Presses Ctrl-C (resolves what `io.interrupted()` returned). */
  interrupt(): void;
}

/** Fresh captured streams; `env` is the whole environment the command sees. */
export function capturedIo(env: Record<string, string>, options: { colours?: boolean; followIntervalMs?: number; followGraceMs?: number } = {}): CapturedIo {
  const stdout = capturingStream(options.colours);
  const stderr = capturingStream();
  const { promise, resolve } = Promise.withResolvers<undefined>();
  return {
    io: {
      env,
      stdout: stdout.stream,
      stderr: stderr.stream,
      interrupted: () => promise,
      ...(options.followIntervalMs === undefined ? {} : { followIntervalMs: options.followIntervalMs }),
      ...(options.followGraceMs === undefined ? {} : { followGraceMs: options.followGraceMs }),
    },
    stdout: stdout.text,
    stderr: stderr.text,
    interrupt: () => {
      resolve(undefined);
    },
  };
}

const ESC = '\u001b';
/** The SGR codes the formatters emit through styleText: bold (1, 22), red (31, 39), cyan (36, 39). */
const OWN_COLOURS = new RegExp(`${ESC}\\[(?:1|22|31|36|39)m`, 'g');

/** `text` without the formatters' own colour codes (any other escape sequence is kept). */
export function withoutOwnColours(text: string): string {
  return text.replace(OWN_COLOURS, '');
}

/** True when `text` has one of our own colour codes, i.e. colours were on. */
export function hasOwnColours(text: string): boolean {
  return text.replace(OWN_COLOURS, '') !== text;
}

/**
 * C0 but the newline that ends lines, DEL, C1, format characters (bidirectional controls,
 * zero-width characters, tag characters) and every other character drawn as nothing.
 */
export const CONTROL_CHARACTER = /(?!\n)[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
