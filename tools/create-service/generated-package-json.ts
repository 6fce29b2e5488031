/** The fields of this repository's package.json that the new project's is derived from. */
export interface RootPackageJson {
  readonly name: string;
  readonly version: string;
  readonly engines?: Readonly<Record<string, string>>;
  readonly scripts: Readonly<Record<string, string>>;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
}

/** The new project's package.json. */
export interface GeneratedPackageJson {
  readonly name: string;
  readonly version: string;
  readonly private: true;
  readonly description: string;
  readonly type: 'module';
  readonly engines?: Readonly<Record<string, string>>;
  readonly scripts: Readonly<Record<string, string>>;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
}

/**
 * The scripts the new project keeps, in this order: exactly as this repository defines them,
 * except those in {@link REPLACED_SCRIPTS}. `test:fast` is the developer's loop (type check,
 * cached lint, unit and integration tests); `test:load` and `test:process` are the slower tiers.
 * `trace` is the session lookup; `update-core` merges a newer template's core into the project
 * (here, with no template.json, it refuses).
 */
export const KEPT_SCRIPTS = ['start', 'dev', 'test:fast', 'typecheck', 'lint', 'test:unit', 'test:integration', 'test:load', 'test:process', 'trace', 'update-core'] as const;

/**
 * Scripts the new project has in a form of its own:
 * - `test` is the project's whole suite, what its CI runs: every tier it has (the end-to-end,
 *   compose, template and benchmark suites belong to this repository), linting without a cache;
 * - `typecheck` checks the project's one tsconfig: the browser telemetry and its
 *   tsconfig.browser.json stay here.
 */
export const REPLACED_SCRIPTS: Readonly<Record<string, string>> & { readonly test: string } = {
  test: 'npm run typecheck && npm run lint && npm run test:unit && npm run test:integration && npm run test:load && npm run test:process',
  typecheck: 'tsc --noEmit --incremental --tsBuildInfoFile node_modules/.cache/tsc/main.tsbuildinfo',
};

/** Dependencies only the demo uses (its login tokens). */
export const DEMO_DEPENDENCIES: readonly string[] = ['jose'];

/**
 * Dev dependencies only this repository's tooling and stack tests use: the benchmark's comparison libraries and its OTLP load (gRPC, protobuf), the Dockerfile and compose checks,
 * the browser telemetry (src/browser, not copied) and the bundler of the demo page.
 * A test (test/tools/unit/create-service/) checks that the new project imports none of them
 * and uses every dev dependency it keeps.
 */
export const REPOSITORY_DEV_DEPENDENCIES: readonly string[] = [
  '@grpc/grpc-js',
  '@noble/hashes',
  '@opentelemetry/instrumentation-document-load',
  '@opentelemetry/instrumentation-fetch',
  '@opentelemetry/web-common',
  'cls-rtracer',
  'dockerfile-ast',
  'esbuild',
  'express-http-context',
  'playwright-core',
  'protobufjs',
  'yaml',
];

/**
 * The new project's package.json, derived from this repository's: named `serviceName` (the
 * default `service.name`), version 0.1.0, private, the same engines, the kept scripts, and
 * the same pinned versions minus the demo's and the tooling's packages.
 * @throws {Error} naming the script when this repository lacks one of {@link KEPT_SCRIPTS}.
 */
export function derivePackageJson(root: RootPackageJson, serviceName: string): GeneratedPackageJson {
  const scripts: Record<string, string> = {};
  for (const name of KEPT_SCRIPTS) {
    const script = root.scripts[name];
    if (script === undefined) throw new Error(`package.json of ${root.name} has no "${name}" script for the new project to keep`);
    scripts[name] = REPLACED_SCRIPTS[name] ?? script;
    // `test` right after `start`, as npm lists the two it runs without `run`.
    if (name === 'start') scripts['test'] = REPLACED_SCRIPTS.test;
  }
  return {
    name: serviceName,
    version: '0.1.0',
    private: true,
    description: `${serviceName}: an Express 5 service whose requests run in a session context (made from ${root.name}).`,
    type: 'module',
    ...(root.engines === undefined ? {} : { engines: root.engines }),
    scripts,
    dependencies: without(root.dependencies, DEMO_DEPENDENCIES),
    devDependencies: without(root.devDependencies, REPOSITORY_DEV_DEPENDENCIES),
  };
}

function without(versions: Readonly<Record<string, string>>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(versions).filter(([name]) => !names.includes(name)));
}
