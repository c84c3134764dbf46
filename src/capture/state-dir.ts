/**
 * tokenledger's local state folder: install records, hook run logs and the like. Machine-local
 * data that should survive a reboot but is not configuration, which is what the XDG base
 * directory spec calls state (https://specifications.freedesktop.org/basedir-spec/latest/).
 */
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * `$XDG_STATE_HOME/tokenledger`, else `~/.local/state/tokenledger`. A relative `XDG_STATE_HOME`
 * is ignored, as the spec says it must be; `HOME` from `env` wins over the account's home so a
 * test (or a hook with a pinned environment) can move it.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_STATE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'tokenledger');
  return path.join(env.HOME || homedir(), '.local', 'state', 'tokenledger');
}
