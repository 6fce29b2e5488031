import { existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTool } from './run-tool.ts';
import type { TemplateFile, TemplatePlan } from './template-plans.ts';

/** What became of one core file. */
export interface CoreFileResult {
  readonly path: string;
  /**
   * `updated`: the template's version (this service had not changed it); `merged`: both sides'
   * changes; `added`/`deleted`: by the template; `conflict`: left for the service's author,
   * `detail` says how.
   */
  readonly outcome: 'updated' | 'merged' | 'added' | 'deleted' | 'conflict';
  readonly detail?: string;
  /** What to write, or null to delete; undefined leaves the service's file as it is. */
  readonly content?: Buffer | null;
  readonly mode?: number;
}

/** The names the conflict markers carry. */
export interface MergeLabels {
  readonly ours: string;
  readonly base: string;
  readonly theirs: string;
}

/**
 * A core file: what create-service copies (the core, its tests, the shared files) and the
 * derived tsconfig.json, whose text the service may have edited. package.json, the lockfile
 * and the record are merged by their own rules.
 */
export function isCoreFile(file: TemplateFile): boolean {
  return file.origin === 'copied' || file.path === 'tsconfig.json';
}

/**
 * Three-way merges the core files of the service at `serviceDir` (ours) from the template at
 * the service's base to the newer one (theirs), by path: the core files of either plan. Reads
 * only (`scratch`, an empty folder, holds git's input files); the results say what to write. Text merges are git's (`git merge-file`); a file one
 * side did not change takes the other side's version.
 */
export function mergeCoreFiles(serviceDir: string, base: TemplatePlan, theirs: TemplatePlan, labels: MergeLabels, scratch: string): CoreFileResult[] {
  const paths = new Set([...base.values(), ...theirs.values()].filter(isCoreFile).map((file) => file.path));
  const results: CoreFileResult[] = [];
  for (const path of [...paths].sort()) {
    const theirsFile = theirs.get(path);
    // A base core file the newer template no longer copies nor derives is deleted; one it
    // now keeps as the project's own (`template` origin) is the service's from then on.
    if (theirsFile !== undefined && !isCoreFile(theirsFile)) continue;
    const result = mergeOne(path, base.get(path)?.content, theirsFile, readOurs(serviceDir, path), scratch, labels);
    if (result !== undefined) results.push(result);
  }
  return results;
}

/** The core files of the service at `dir` whose lines hold a conflict marker of git's. */
export function filesWithConflictMarkers(dir: string, plan: TemplatePlan): string[] {
  return [...plan.values()]
    .filter((file) => isCoreFile(file) && existsSync(join(dir, file.path)))
    .filter((file) => /^(?:<{7}|>{7}) /m.test(readFileSync(join(dir, file.path), 'latin1')))
    .map((file) => file.path);
}

interface OurFile {
  readonly content: Buffer;
  readonly mode: number;
}

function readOurs(dir: string, path: string): OurFile | undefined {
  const absolute = join(dir, path);
  if (!existsSync(absolute)) return undefined;
  return { content: readFileSync(absolute), mode: (lstatSync(absolute).mode & 0o111) === 0 ? 0o644 : 0o755 };
}

function mergeOne(path: string, base: Buffer | undefined, theirs: TemplateFile | undefined, ours: OurFile | undefined, scratch: string, labels: MergeLabels): CoreFileResult | undefined {
  if (theirs === undefined) {
    // Deleted by the template.
    if (ours === undefined) return undefined;
    if (base !== undefined && ours.content.equals(base)) return { path, outcome: 'deleted', content: null };
    return { path, outcome: 'conflict', detail: 'the template deleted it, this service changed it: kept' };
  }
  if (base !== undefined && theirs.content.equals(base)) return undefined;
  if (ours === undefined) {
    if (base === undefined) return { path, outcome: 'added', content: theirs.content, mode: theirs.mode };
    return { path, outcome: 'conflict', detail: "this service deleted it, the template changed it: the template's version written", content: theirs.content, mode: theirs.mode };
  }
  if (ours.content.equals(theirs.content)) return undefined;
  if (base !== undefined && ours.content.equals(base)) return { path, outcome: 'updated', content: theirs.content, mode: theirs.mode };
  const merged = mergeFile(ours.content, base ?? Buffer.alloc(0), theirs.content, scratch, labels);
  if (merged === undefined) return { path, outcome: 'conflict', detail: "git cannot merge it as text (binary?): this service's version kept" };
  if (merged.conflicts > 0) {
    return { path, outcome: 'conflict', detail: `${merged.conflicts} conflicting change${merged.conflicts === 1 ? '' : 's'}, marked`, content: merged.content, mode: ours.mode };
  }
  return { path, outcome: 'merged', content: merged.content, mode: ours.mode };
}

/** `git merge-file` of the three versions: the merged text and its count of conflicts, or undefined when git cannot merge them. */
function mergeFile(ours: Buffer, base: Buffer, theirs: Buffer, scratch: string, labels: MergeLabels): { content: Buffer; conflicts: number } | undefined {
  const [oursPath, basePath, theirsPath] = ['ours', 'base', 'theirs'].map((name) => join(scratch, name)) as [string, string, string];
  writeFileSync(oursPath, ours);
  writeFileSync(basePath, base);
  writeFileSync(theirsPath, theirs);
  const result = runTool('git', ['merge-file', '-p', '-L', labels.ours, '-L', labels.base, '-L', labels.theirs, oursPath, basePath, theirsPath], scratch);
  // 0: merged; 1 to 127: that many conflicts; anything else (-1 as 255): git could not merge.
  if (result.status === null || result.status > 127) return undefined;
  return { content: Buffer.from(result.stdout, 'utf8'), conflicts: result.status };
}
