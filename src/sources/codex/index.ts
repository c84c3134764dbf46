/** The Codex CLI source: every rollout file on this machine -> usage events and what reading saw. */
import { readFile, stat } from 'node:fs/promises';
import { emptyDiagnostics, type UsageEvent } from '../events.js';
import { addDiagnostics, addMalformed } from '../diagnostics.js';
import { parseCodexRollout, type CodexRead } from './parse.js';
import { getCodexRolloutFiles } from './paths.js';

export { parseCodexRollout, type CodexRead } from './parse.js';
export { getCodexHomes, getCodexRolloutFiles } from './paths.js';

export interface ReadCodexOptions {
  /** Environment to resolve `CODEX_HOME` and `~` from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * Skip files last written before this time: they cannot hold newer responses. Events inside the
   * files that are read are not filtered; that is the caller's job.
   */
  since?: Date;
}

/** Reads every rollout file in turn. A file that cannot be read is counted as malformed and skipped. */
export async function readCodexSessions(options: ReadCodexOptions = {}): Promise<CodexRead> {
  const events: UsageEvent[] = [];
  const diagnostics = emptyDiagnostics();
  for (const file of await getCodexRolloutFiles(options.env)) {
    let text: string;
    try {
      if (options.since && (await stat(file)).mtime < options.since) continue;
      text = await readFile(file, 'utf8');
    } catch (error) {
      addMalformed(diagnostics, `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      continue;
    }
    const read = parseCodexRollout(text, file);
    // One push per event: spreading a very long array into push() can overflow the stack.
    for (const event of read.events) events.push(event);
    addDiagnostics(diagnostics, read.diagnostics);
  }
  return { events, diagnostics };
}
