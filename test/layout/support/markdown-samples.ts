/**
 * The TypeScript samples of a markdown file, as the samples test checks them.
 *
 * The convention, every part of it visible in the markdown source:
 * - A fenced block whose info string starts with `ts` or `typescript` is a sample: a whole
 *   module, type-checked and linted as a file of the project.
 * - Its file (where its relative imports start from): a `<!-- sample: src/orders/order-routes.ts -->`
 *   comment right before the fence; else the block's first line when it is a comment naming
 *   the file (`// src/orders/order-routes.ts`); else `src/sample-<markdown file>-<line>.ts`.
 *   Always under `src/` or `test/`.
 * - A fragment the reader completes: the lines of that comment after its first line are
 *   prepended to the block (imports, `declare` lines), checked but not shown:
 *   `<!-- sample: src/jobs/consumer.ts` / `declare const job: { sessionId: string };` / `-->`.
 * - A block that is not checked at all says so in its info string: ```` ```ts fragment ````.
 */

/** One TypeScript block of a markdown file. */
export interface MarkdownSample {
  /** The markdown file, relative to the repository. */
  readonly markdownPath: string;
  /** The line of the opening fence, from 1. */
  readonly fenceLine: number;
  /** The file the sample is, relative to its project (`src/…` or `test/…`). */
  readonly path: string;
  /** The module checked: the prelude's lines, then the block's. */
  readonly code: string;
  /** How many lines of {@link code} are the prelude. */
  readonly preludeLines: number;
  /** Marked `fragment`: left out of every check, on purpose and visibly. */
  readonly fragment: boolean;
}

/** A sample the convention cannot read (a bad path, an unclosed fence). */
export interface SampleFormatProblem {
  readonly markdownPath: string;
  readonly line: number;
  readonly message: string;
}

const FENCE = /^( {0,3})(`{3,}|~{3,})\s*([^`]*)$/;
const TS_LANGUAGES = new Set(['ts', 'typescript']);
const PATH_COMMENT = /^\/\/\s*((?:src|test)\/\S+\.ts)\s*$/;
const VALID_PATH = /^(?:src|test)\/(?:[\w.-]+\/)*[\w.-]+\.ts$/;

/** The samples of `text`, the markdown file at `markdownPath`, and what could not be read. */
export function extractSamples(markdownPath: string, text: string): { samples: MarkdownSample[]; problems: SampleFormatProblem[] } {
  const lines = text.split(/\r?\n/);
  const samples: MarkdownSample[] = [];
  const problems: SampleFormatProblem[] = [];
  const problem = (line: number, message: string): void => {
    problems.push({ markdownPath, line, message });
  };
  for (let index = 0; index < lines.length; index++) {
    const open = FENCE.exec(lines[index]!);
    if (open === null) continue;
    const [, indent = '', fence = '', info = ''] = open;
    const closeAt = findClose(lines, index + 1, fence);
    const body = lines.slice(index + 1, closeAt).map((line) => stripIndent(line, indent.length));
    const [language = '', ...flags] = info.trim().split(/\s+/);
    if (TS_LANGUAGES.has(language.toLowerCase())) {
      const fenceLine = index + 1;
      if (closeAt === lines.length) problem(fenceLine, 'the fence is never closed');
      const directive = directiveBefore(lines, index);
      const path = directive?.path ?? PATH_COMMENT.exec(body[0] ?? '')?.[1] ?? `src/sample-${slug(markdownPath)}-${fenceLine}.ts`;
      if (!VALID_PATH.test(path) || path.split('/').includes('..')) {
        problem(fenceLine, `the sample's file ${JSON.stringify(path)} is not a .ts file under src/ or test/`);
      }
      const prelude = directive?.prelude ?? [];
      samples.push({
        markdownPath,
        fenceLine,
        path,
        code: [...prelude, ...body].join('\n') + '\n',
        preludeLines: prelude.length,
        fragment: flags.includes('fragment'),
      });
    }
    index = closeAt;
  }
  return { samples, problems };
}

/** The index of the line closing a fence opened with `fence`, or `lines.length` when none does. */
function findClose(lines: readonly string[], from: number, fence: string): number {
  const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
  for (let index = from; index < lines.length; index++) if (closing.test(lines[index]!)) return index;
  return lines.length;
}

function stripIndent(line: string, indent: number): string {
  let strip = 0;
  while (strip < indent && line[strip] === ' ') strip++;
  return line.slice(strip);
}

/** The `<!-- sample: … -->` comment ending right before the fence at `fenceIndex`, if any. */
function directiveBefore(lines: readonly string[], fenceIndex: number): { path: string; prelude: string[] } | undefined {
  let end = fenceIndex - 1;
  while (end >= 0 && lines[end]!.trim() === '') end--;
  if (end < 0 || !lines[end]!.trim().endsWith('-->')) return undefined;
  let start = end;
  while (start >= 0 && !lines[start]!.includes('<!--')) start--;
  if (start < 0) return undefined;
  const opening = /^\s*<!--\s*sample:\s*(.*)$/.exec(lines[start]!);
  if (opening === null) return undefined;
  if (start === end) return { path: opening[1]!.replace(/-->\s*$/, '').trim(), prelude: [] };
  const prelude = lines.slice(start + 1, end);
  const last = lines[end]!.replace(/-->\s*$/, '');
  if (last.trim() !== '') prelude.push(last);
  return { path: opening[1]!.trim(), prelude };
}

function slug(markdownPath: string): string {
  return markdownPath.toLowerCase().replace(/\.md$/, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
