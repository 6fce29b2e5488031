/** The lowest Node major version the project runs on. */
export declare const REQUIRED_NODE_MAJOR: number;
/** The line to print when `version` is older than Node {@link REQUIRED_NODE_MAJOR}, else undefined. */
export declare function nodeVersionProblem(version: string, execPath: string): string | undefined;
