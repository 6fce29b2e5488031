import type { LogFormatSetting } from '../config/index.ts';

/** How log lines are written: one JSON object per line, or readable lines for a person. */
export type LogFormat = 'json' | 'pretty';

/**
 * The format LOG_FORMAT (`setting`) chooses: `json` and `pretty` as they say; `auto` readable
 * lines when the output is a terminal (`isTTY` true), JSON otherwise (a pipe, a file, a
 * container's log driver), so that whatever collects the output gets JSON.
 */
export function chooseLogFormat(setting: LogFormatSetting, isTTY: boolean | undefined): LogFormat {
  if (setting === 'auto') return isTTY === true ? 'pretty' : 'json';
  return setting;
}
