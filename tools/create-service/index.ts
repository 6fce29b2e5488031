/** `create-service`: a new service project made of this template's core and an example. */
export { runCreateService, EXIT, type CreateServiceIo } from './run-create-service.ts';
export { parseCreateServiceArgs, UsageError, USAGE, type CreateServiceOptions } from './create-service-args.ts';
export { serviceNameProblem, SERVICE_NAME_PATTERN, SERVICE_NAME_RULE, RESERVED_SERVICE_NAMES } from './service-name.ts';
export {
  planService,
  OwnCodeError,
  COPIED_FILES,
  COPIED_FOLDERS,
  LOCKFILE,
  TEMPLATE_FOLDER,
  type PlannedFile,
  type ServicePlan,
} from './service-plan.ts';
export {
  derivePackageJson,
  DEMO_DEPENDENCIES,
  KEPT_SCRIPTS,
  REPLACED_SCRIPTS,
  REPOSITORY_DEV_DEPENDENCIES,
  type GeneratedPackageJson,
  type RootPackageJson,
} from './generated-package-json.ts';
export { deriveTsconfig, type Tsconfig } from './generated-tsconfig.ts';
export { checkTarget, TargetError, type TargetState } from './target-directory.ts';
export { writePlan, removePlan, newWriteRecord, type WriteRecord } from './write-plan.ts';
export { pruneLockfile, changedLockedVersions, PRUNE_ARGS } from './prune-lockfile.ts';
export { SERVICE_NAME_PLACEHOLDER, TEMPLATE_PLACEHOLDER, fillPlaceholders, type PlaceholderValues } from './template-placeholders.ts';
export { listFiles, describeFile, type ListedFile } from './list-files.ts';
