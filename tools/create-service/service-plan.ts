import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { derivePackageJson, type RootPackageJson } from './generated-package-json.ts';
import { deriveTsconfig, type Tsconfig } from './generated-tsconfig.ts';
import { describeFile, listFiles, type ListedFile } from './list-files.ts';
import { serviceNameProblem } from './service-name.ts';
import { fillPlaceholders } from './template-placeholders.ts';
import { describeTemplateCheckout, formatTemplateRecord, TEMPLATE_RECORD_FILE } from '../update-core/index.ts';

/** One file of the new project. */
export interface PlannedFile {
  /** Relative to the project, `/`-separated. */
  readonly path: string;
  readonly content: Buffer;
  /** 0o755 for executables, else 0o644. */
  readonly mode: number;
  /**
   * `copied`: a file of this repository, unchanged; `derived`: made from one (package.json,
   * tsconfig.json, package-lock.json); `template`: the new project's own, from
   * tools/create-service/template/ with the placeholders filled; `own`: from the service's
   * own code (`--own-code`), in place of the example.
   */
  readonly origin: 'copied' | 'derived' | 'template' | 'own';
}

/** Everything the new project is made of. */
export interface ServicePlan {
  readonly serviceName: string;
  /** The template repository the files were read from. */
  readonly repositoryRoot: string;
  /** Sorted by path. */
  readonly files: readonly PlannedFile[];
}

/**
 * Folders of this repository copied whole: the core, the core's tests, the session lookup
 * (`npm run trace`) and `npm run update-core`, which later merges a newer template's copies of
 * these folders into the project.
 */
export const COPIED_FOLDERS: readonly string[] = ['src/core', 'test/core', 'tools/session-traces', 'tools/update-core'];

/** Files of this repository copied unchanged. */
export const COPIED_FILES: readonly string[] = ['.mocharc.json', 'Dockerfile', 'eslint.service.js', 'jaeger-ui.json', 'jaeger.yaml', 'otel-collector.yaml'];

/** The new project's own files, relative to the repository. */
export const TEMPLATE_FOLDER = 'tools/create-service/template';

/**
 * The lockfile is copied as it is and pruned by npm once written (see `pruneLockfile`): every
 * version stays the one this repository locks.
 */
export const LOCKFILE = 'package-lock.json';

/**
 * Template files that are the example, left out when a service brings its own code: its
 * composition root, its routes and their tests.
 */
export const EXAMPLE_PATHS: readonly string[] = ['src/main.ts', 'src/example/', 'test/example/'];

/** The template repository: the one this file belongs to. */
const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Plans the project of service `serviceName`: the core and its tests copied, the template's
 * files with the name filled in, package.json and tsconfig.json derived from this
 * repository's, and its lockfile. Reads files; writes nothing.
 *
 * With `ownCode` (a folder holding a service's own `src/main.ts` and its other folders under
 * `src/` and `test/`; anything else in it is not part of the project, nor are the copied
 * folders in it: a generated service's folder serves as is), those files replace the
 * example: the service rebuilt on this repository's current core.
 * @throws {RangeError} for a name `serviceNameProblem` refuses.
 * @throws {Error} naming the path when two sources would write the same file, or when the own
 * code would replace a copied or derived file (the core, its tests, package.json…).
 */
export function planService(serviceName: string, ownCode?: string): ServicePlan {
  const problem = serviceNameProblem(serviceName);
  if (problem !== undefined) throw new RangeError(problem);
  const root = REPOSITORY_ROOT;
  const rootPackage = readJson(join(root, 'package.json')) as RootPackageJson;
  const files: PlannedFile[] = [];

  for (const folder of COPIED_FOLDERS) {
    for (const file of listFiles(join(root, folder))) {
      files.push({ path: `${folder}/${file.path}`, content: readFileSync(file.absolutePath), mode: file.mode, origin: 'copied' });
    }
  }
  for (const path of COPIED_FILES) {
    const file = describeFile(root, path);
    files.push({ path, content: readFileSync(file.absolutePath), mode: file.mode, origin: 'copied' });
  }
  const placeholders = { serviceName, template: `${rootPackage.name} ${rootPackage.version}` };
  const own = ownCode === undefined ? [] : listOwnCode(ownCode);
  const ownPaths = new Set(own.map((file) => file.path));
  const isExample = (path: string): boolean => EXAMPLE_PATHS.some((example) => path === example || (example.endsWith('/') && path.startsWith(example)));
  for (const file of listFiles(join(root, TEMPLATE_FOLDER))) {
    if (ownCode !== undefined && (isExample(file.path) || ownPaths.has(file.path))) continue;
    const text = fillPlaceholders(readFileSync(file.absolutePath, 'utf8'), placeholders);
    files.push({ path: file.path, content: Buffer.from(text, 'utf8'), mode: file.mode, origin: 'template' });
  }
  for (const file of own) {
    files.push({ path: file.path, content: readFileSync(file.absolutePath), mode: file.mode, origin: 'own' });
  }

  const derived = (path: string, content: string | Buffer): PlannedFile => ({
    path,
    content: typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
    mode: 0o644,
    origin: 'derived',
  });
  files.push(derived('package.json', toJson(derivePackageJson(rootPackage, serviceName))));
  files.push(derived(LOCKFILE, readFileSync(join(root, LOCKFILE))));
  // The merge base of `npm run update-core`: this repository's commit, and whether the files
  // the project is made from differ from it.
  const sources = [...COPIED_FOLDERS, ...COPIED_FILES, 'package.json', LOCKFILE, 'tsconfig.json'];
  files.push(derived(TEMPLATE_RECORD_FILE, formatTemplateRecord(describeTemplateCheckout(root, rootPackage, sources))));
  // tsconfig last: its include and exclude lists depend on which files the project has.
  const paths = files.map((file) => file.path);
  files.push(derived('tsconfig.json', toJson(deriveTsconfig(readJson(join(root, 'tsconfig.json')) as Tsconfig, paths))));

  const seen = new Set<string>();
  for (const { path } of files) {
    if (seen.has(path)) throw new Error(`Two sources would write ${path}; the template must not contain a file the plan copies or derives`);
    seen.add(path);
  }
  return { serviceName, repositoryRoot: root, files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
}

/** The folder given as `--own-code` cannot serve as a service's own code; the message says why. */
export class OwnCodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OwnCodeError';
  }
}

/**
 * The src/ and test/ files of a service's own code, without the copied folders (a generated
 * service's own copy of the core is replaced by this repository's); the folder must hold at
 * least src/main.ts. Nothing else of the folder is read: a service's node_modules/ (with its
 * symbolic links) and .git/ are not part of its code.
 */
function listOwnCode(folder: string): ListedFile[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new OwnCodeError(`--own-code ${folder} is not a folder`);
  const isCopied = (path: string): boolean => COPIED_FOLDERS.some((copied) => path.startsWith(`${copied}/`));
  const files = ['src', 'test']
    .filter((top) => existsSync(join(folder, top)))
    .flatMap((top) => {
      try {
        return listFiles(join(folder, top)).map((file) => ({ ...file, path: `${top}/${file.path}` }));
      } catch (error) {
        throw new OwnCodeError(`--own-code ${folder}: ${error instanceof Error ? error.message : String(error)}`);
      }
    })
    .filter((file) => !isCopied(file.path));
  if (!files.some((file) => file.path === 'src/main.ts')) throw new OwnCodeError(`--own-code ${folder} has no src/main.ts, the service's composition root`);
  return files;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read ${path} as JSON`, { cause: error });
  }
}

/** JSON indented by two spaces with a final newline, arrays of scalars on one line (as this repository writes them). */
function toJson(value: unknown): string {
  const scalar = String.raw`(?:"(?:[^"\\\n]|\\.)*"|-?[\d.eE+-]+|true|false|null)`;
  const scalarArray = new RegExp(String.raw`\[\n\s*(${scalar}(?:,\n\s*${scalar})*)\n\s*\]`, 'g');
  const text = JSON.stringify(value, null, 2).replace(scalarArray, (_match, items: string) => `[${items.split(/,\n\s*/).join(', ')}]`);
  return `${text}\n`;
}
