import { dirname, join, sep } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import type { MarkdownSample } from './markdown-samples.ts';

/** A diagnostic of a sample, placed in its markdown file. */
export interface SampleProblem {
  readonly markdownPath: string;
  /** The markdown line the diagnostic is on (the fence's, for a line of the hidden prelude). */
  readonly line: number;
  readonly message: string;
}

/**
 * Where samples are checked: the repository itself, or a project generated from it, given as
 * its files under `src/` and `test/` (relative path to content). The generated project is
 * seen at the repository's root, so node_modules, package.json and the lint configuration are
 * the repository's, while `src/` and `test/` hold exactly the project's files.
 */
export interface SampleProject {
  readonly name: string;
  readonly sourceFiles?: ReadonlyMap<string, string>;
}

/** SourceFiles parsed once and shared by every project's program, by path, text and format. */
export type SourceFileCache = Map<string, ts.SourceFile>;

/**
 * Type-checks the samples (fragments excluded) as files of `project`, with the options of the
 * repository's tsconfig.json, in one program; then lints each with the repository's ESLint
 * configuration, type-aware rules included, against that program.
 */
export async function checkSamples(
  repositoryRoot: string,
  project: SampleProject,
  samples: readonly MarkdownSample[],
  cache: SourceFileCache = new Map(),
): Promise<SampleProblem[]> {
  const checked = samples.filter((sample) => !sample.fragment);
  if (checked.length === 0) return [];
  const problems: SampleProblem[] = [];
  const byFile = new Map<string, MarkdownSample>();
  for (const sample of checked) {
    const file = join(repositoryRoot, sample.path);
    const other = byFile.get(file);
    if (other !== undefined) {
      problems.push({ markdownPath: sample.markdownPath, line: sample.fenceLine, message: `${project.name}: another sample is ${sample.path} too (${other.markdownPath}:${other.fenceLine}); name one differently with <!-- sample: … -->` });
      continue;
    }
    byFile.set(file, sample);
  }

  const options = compilerOptions(repositoryRoot);
  const host = sampleHost(repositoryRoot, options, project, byFile, cache);
  const program = ts.createProgram([...byFile.keys()], options, host);
  for (const [file, sample] of byFile) {
    const sourceFile = program.getSourceFile(file);
    if (sourceFile === undefined) throw new Error(`${file} is not in the samples' program`);
    const diagnostics = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    for (const diagnostic of diagnostics) {
      const line = diagnostic.start === undefined ? 0 : sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
      problems.push(placed(sample, line, `TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`));
    }
  }

  const eslint = new ESLint({
    cwd: repositoryRoot,
    overrideConfigFile: join(repositoryRoot, 'eslint.config.js'),
    // The samples' own program: the project service only knows the files on disk.
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, programs: [program] } } },
  });
  for (const [file, sample] of byFile) {
    const [result] = await eslint.lintText(sample.code, { filePath: file, warnIgnored: true });
    for (const message of result?.messages ?? []) {
      problems.push(placed(sample, message.line, `${message.message} (${message.ruleId ?? 'eslint'})`));
    }
  }
  return problems;
}

/** The options of the repository's tsconfig.json. */
function compilerOptions(repositoryRoot: string): ts.CompilerOptions {
  const path = join(repositoryRoot, 'tsconfig.json');
  const read = ts.readConfigFile(path, (file) => ts.sys.readFile(file));
  if (read.error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, ' '));
  return ts.parseJsonConfigFileContent(read.config, ts.sys, repositoryRoot, undefined, path).options;
}

/**
 * A compiler host that sees the samples at their paths, the project's `src/` and `test/` when
 * it has its own, and everything else (node_modules, package.json) as on disk.
 */
function sampleHost(
  repositoryRoot: string,
  options: ts.CompilerOptions,
  project: SampleProject,
  samples: ReadonlyMap<string, MarkdownSample>,
  cache: SourceFileCache,
): ts.CompilerHost {
  const base = ts.createCompilerHost(options, true);
  const own = new Map<string, string>();
  for (const [path, text] of project.sourceFiles ?? []) own.set(join(repositoryRoot, path), text);
  const ownFolders = [join(repositoryRoot, 'src') + sep, join(repositoryRoot, 'test') + sep];
  const hidden = (file: string): boolean => project.sourceFiles !== undefined && ownFolders.some((folder) => file.startsWith(folder));
  const readFile = (file: string): string | undefined => samples.get(file)?.code ?? own.get(file) ?? (hidden(file) ? undefined : base.readFile(file));
  const folders = new Set<string>();
  for (const file of [...samples.keys(), ...own.keys()]) {
    for (let folder = dirname(file); folder.length > repositoryRoot.length; folder = dirname(folder)) folders.add(folder);
  }
  return {
    ...base,
    fileExists: (file) => samples.has(file) || own.has(file) || (!hidden(file) && base.fileExists(file)),
    readFile,
    directoryExists: (folder) => folders.has(folder) || (base.directoryExists?.(folder) ?? true),
    getSourceFile: (file, languageVersion) => {
      const text = readFile(file);
      if (text === undefined) return undefined;
      const format = typeof languageVersion === 'object' ? String(languageVersion.impliedNodeFormat) : '';
      const key = `${file}\0${format}`;
      const cached = cache.get(key);
      if (cached?.text === text) return cached;
      const sourceFile = ts.createSourceFile(file, text, languageVersion, true);
      cache.set(key, sourceFile);
      return sourceFile;
    },
  };
}

function placed(sample: MarkdownSample, fileLine: number, message: string): SampleProblem {
  const inPrelude = fileLine <= sample.preludeLines;
  return {
    markdownPath: sample.markdownPath,
    line: inPrelude ? sample.fenceLine : sample.fenceLine + fileLine - sample.preludeLines,
    message: `${sample.path}${inPrelude ? ` (prelude line ${fileLine})` : ''}: ${message}`,
  };
}
