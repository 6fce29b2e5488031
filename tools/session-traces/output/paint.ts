import { styleText } from 'node:util';

/** Where text goes; colours only when it is a terminal and NO_COLOR is unset. */
export interface Output {
  readonly stream: NodeJS.WriteStream;
}

/** Colours `text` when the stream is a colour terminal (styleText checks TTY and NO_COLOR). */
export function paint(format: Parameters<typeof styleText>[0], text: string, output: Output): string {
  return styleText(format, text, { stream: output.stream });
}
