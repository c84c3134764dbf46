/** What every command shares about the terminal: colour, and how a failure is reported. */

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb';
}

import { UserFacingError } from '../errors.js';

/** An error the user can act on: printed as one line, without a stack, exit code 1. */
export class UserError extends UserFacingError {}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints a few warnings to stderr (malformed lines and the like) without burying the output. */
export function warn(lines: string[], more = 0): void {
  for (const line of lines) process.stderr.write(`warning: ${line}\n`);
  if (more > 0) process.stderr.write(`warning: … and ${more} more\n`);
}
