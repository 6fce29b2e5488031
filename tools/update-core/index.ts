/**
 * `update-core`: brings a generated service's core up to a newer template, by a three-way
 * merge against the template commit its template.json records. Copied into every service.
 */
export { runUpdateCore, UPDATE_CORE_EXIT, LOCK_UPDATE_ARGS, type UpdateCoreIo } from './run-update-core.ts';
export { parseUpdateCoreArgs, UpdateCoreUsageError, UPDATE_CORE_USAGE, type UpdateCoreOptions } from './update-core-args.ts';
export {
  describeTemplateCheckout,
  formatTemplateRecord,
  readTemplateRecord,
  TEMPLATE_RECORD_FILE,
  TemplateRecordError,
  type TemplateRecord,
} from './template-record.ts';
export { mergePackageJson, MERGED_PACKAGE_FIELDS, type PackageJson, type PackageJsonMerge } from './merge-package-json.ts';
export { mergeLockfile, lockedVersionChanges, type Lockfile, type LockedPackage } from './merge-lockfile.ts';
export { mergeCoreFiles, filesWithConflictMarkers, isCoreFile, type CoreFileResult, type MergeLabels } from './merge-core-files.ts';
export { cloneTemplate, isGitUrl, planAt, resolveCommit, shownSource, type TemplateFile, type TemplatePlan } from './template-plans.ts';
export { runTool, gitOutput, withoutNpmConfig, ToolError, type ToolResult } from './run-tool.ts';
