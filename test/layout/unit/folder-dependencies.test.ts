import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Every .ts file under `dir` (relative to the project root). */
function sourceFiles(dir: string): string[] {
  return readdirSync(join(projectRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

/** The folder a file belongs to for the layout: a core folder, or the top folder of src/ and tools/. */
function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'src' && parts[1] === 'core') return parts.length > 3 ? `src/core/${parts[2]!}` : 'src/core';
  return parts.length > 2 ? `${parts[0]!}/${parts[1]!}` : parts[0]!;
}

/** Folder → the folders its files import (relative imports of .ts files only). */
function folderGraph(files: readonly string[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    const text = readFileSync(join(projectRoot, file), 'utf8');
    for (const [, specifier] of text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+\.ts)'/g)) {
      const target = folderOf(relative('.', normalize(join(dirname(file), specifier!))));
      if (target !== from) edges.add(target);
    }
  }
  return graph;
}

/** One cycle of `graph` as a path, or undefined when it has none. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'visiting') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'visiting');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

describe('folder dependencies of src/ and tools/', () => {
  const graph = folderGraph([...sourceFiles('src'), ...sourceFiles('tools')]);

  it('has no cycle between folders', () => {
    expect(findCycle(graph), 'a cycle').to.equal(undefined);
  });

  it('keeps the core independent of everything else in the repository', () => {
    for (const [folder, targets] of graph) {
      if (!folder.startsWith('src/core')) continue;
      for (const target of targets) expect(target, `${folder} imports ${target}`).to.match(/^src\/core/);
    }
  });

  it('keeps the demo and the tooling apart', () => {
    expect([...(graph.get('src/demo') ?? [])].filter((target) => target.startsWith('tools'))).to.deep.equal([]);
    for (const [folder, targets] of graph) {
      if (folder.startsWith('tools')) expect([...targets].filter((target) => target === 'src/demo'), folder).to.deep.equal([]);
    }
  });

  it('keeps the browser module to itself: no other folder of the repository, no Node module', () => {
    expect([...(graph.get('src/browser') ?? [])]).to.deep.equal([]);
    const nodeImports = sourceFiles('src/browser').filter((file) => /(?:from|import\()\s*'node:/.test(readFileSync(join(projectRoot, file), 'utf8')));
    expect(nodeImports).to.deep.equal([]);
  });

  it('finds the cycle when two folders import each other', () => {
    const cyclic = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['a'])],
    ]);
    expect(findCycle(cyclic)).to.deep.equal(['a', 'b', 'a']);
  });
});
