/** A Claude Code settings file tokenledger cannot safely edit, named by file and place. */
export interface SettingsFileProblem {
  /** 1-based line and column of a JSON syntax error. */
  line?: number;
  column?: number;
  /** The JSON field at fault, e.g. `hooks.SessionEnd[0].hooks`. */
  field?: string;
}

/**
 * Raised before anything is written: the message starts with `file[:line:column]` so an editor
 * or terminal can jump there, then says what is wrong.
 */
export class SettingsFileError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly problem: SettingsFileProblem = {},
  ) {
    const where = problem.line === undefined ? file : `${file}:${problem.line}:${problem.column ?? 1}`;
    super(`${where}: ${problem.field ? `field ${problem.field}: ` : ''}${detail}`);
  }
}
