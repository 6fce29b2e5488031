import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const TOOL = 'tools/session-traces';

/**
 * The lookup's folders from the bottom up: each imports only folders of the layers below it
 * (the data never the output; Jaeger and VictoriaLogs, side by side, never each other), and
 * the command's own files at the top import them all.
 */
const LAYERS: readonly (readonly string[])[] = [['text'], ['http'], ['jaeger', 'victorialogs'], ['report'], ['output']];

/** A relative import of one file of the tool: where it is, the folder it reaches, and how it was written. */
interface ToolImport {
  readonly file: string;
  readonly fromFolder: string;
  readonly toFolder: string;
  readonly specifier: string;
}

/** The folder of the tool a path belongs to: `''` for the command's own files at the top, else the subfolder. */
function folderOf(path: string): string {
  const inside = relative(TOOL, path).split('/');
  return inside.length > 1 ? inside[0]! : '';
}

/** Every relative import between the tool's own files. */
function toolImports(): ToolImport[] {
  const files = readdirSync(join(projectRoot, TOOL), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  return files.flatMap((file) => {
    const path = join(TOOL, file);
    const text = readFileSync(join(projectRoot, path), 'utf8');
    return [...text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+\.ts)'/g)]
      .map(([, specifier]) => ({ specifier: specifier!, target: normalize(join(dirname(path), specifier!)) }))
      .filter(({ target }) => target.startsWith(`${TOOL}/`))
      .map(({ specifier, target }) => ({ file: path, fromFolder: folderOf(path), toFolder: folderOf(target), specifier }));
  });
}

/** The layer of `folder` (its index in {@link LAYERS}), or -1 for the command's own files at the top. */
const layerOf = (folder: string): number => LAYERS.findIndex((layer) => layer.includes(folder));

/** The imports of a folder that reach the command at the top, or a folder of its own layer or above. */
function upwardImports(imports: readonly ToolImport[]): string[] {
  return imports
    .filter(({ fromFolder, toFolder }) => fromFolder !== '' && fromFolder !== toFolder && !(layerOf(toFolder) >= 0 && layerOf(toFolder) < layerOf(fromFolder)))
    .map(({ file, specifier }) => `${file} imports ${specifier}`);
}

/** The imports that reach into another folder past its index.ts. */
function innerImports(imports: readonly ToolImport[]): string[] {
  return imports
    .filter(({ fromFolder, toFolder, specifier }) => fromFolder !== toFolder && !specifier.endsWith(`${toFolder}/index.ts`))
    .map(({ file, specifier }) => `${file} imports ${specifier}`);
}

describe('the folders of tools/session-traces', () => {
  const imports = toolImports();

  it('has exactly the folders of the layers, each with an index.ts', () => {
    const folders = readdirSync(join(projectRoot, TOOL), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(folders.sort()).to.deep.equal(LAYERS.flat().sort());
    for (const folder of folders) expect(readdirSync(join(projectRoot, TOOL, folder)), folder).to.include('index.ts');
  });

  it('imports only downwards: a folder reaches only folders of the layers below it, never the command at the top', () => {
    expect(imports.length).to.be.above(20);
    expect(upwardImports(imports)).to.deep.equal([]);
  });

  it('reaches another folder only through its index.ts', () => {
    expect(innerImports(imports)).to.deep.equal([]);
  });

  it('finds the data importing the output, Jaeger importing VictoriaLogs, a folder importing the command, and an inner file of another folder', () => {
    const probe = (fromFolder: string, specifier: string, toFolder: string): ToolImport => ({ file: `${TOOL}/${fromFolder}/probe.ts`, fromFolder, toFolder, specifier });
    const probes = [
      probe('jaeger', '../output/index.ts', 'output'),
      probe('jaeger', '../victorialogs/index.ts', 'victorialogs'),
      probe('report', '../run-lookup.ts', ''),
    ];
    expect(upwardImports(probes)).to.have.length(3);
    expect(upwardImports([probe('output', '../jaeger/index.ts', 'jaeger')])).to.deep.equal([]);
    expect(innerImports([probe('output', '../jaeger/trace-summary.ts', 'jaeger')])).to.have.length(1);
  });
});
