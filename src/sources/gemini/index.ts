/** The Gemini CLI source: chat files on this machine -> usage events and what reading saw. */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { emptyDiagnostics, type ReadDiagnostics, type UsageEvent } from '../events.js';
import { addDiagnostics, addMalformed } from '../diagnostics.js';
import { mergeGeminiChats, type ReadChat } from './merge.js';
import { parseGeminiChat } from './parse.js';
import { getGeminiChatFiles, getGeminiDir, type GeminiChatFile } from './paths.js';
import { locateChatFile, projectNamesByHash, sessionChatFiles } from './projects.js';

export { parseGeminiChat, type GeminiChat, type GeminiCall } from './parse.js';
export { getGeminiChatFiles, getGeminiDir, isGeminiChat } from './paths.js';
export { repositoryChatFiles } from './projects.js';

export interface GeminiRead {
  events: UsageEvent[];
  diagnostics: ReadDiagnostics;
}

export interface ReadGeminiOptions {
  /** Environment to resolve `GEMINI_CLI_HOME` and `~` from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * Skip files last written before this time: they cannot hold newer responses. Events inside the
   * files that are read are not filtered; that is the caller's job.
   */
  since?: Date;
}

/** Reads every chat file; one that cannot be read is counted as malformed and skipped. */
export async function readGeminiSessions(options: ReadGeminiOptions = {}): Promise<GeminiRead> {
  const { chats, diagnostics } = await readChats(await getGeminiChatFiles(options.env), options.since);
  for (const { chat } of chats) addDiagnostics(diagnostics, chat.diagnostics);
  return mergeRead(chats, diagnostics, await projectNamesByHash(getGeminiDir(options.env)));
}

export interface GeminiSessionRead {
  sessionId: string;
  events: UsageEvent[];
  /** Malformed places seen, as `file:line: reason`. */
  warnings: string[];
}

/**
 * The session a chat file belongs to, with its other files (copies in another project folder, a
 * resume's second file) and its subagent chats. Undefined when `transcript` cannot be read.
 */
export async function readGeminiSession(transcript: string): Promise<GeminiSessionRead | undefined> {
  const own = locateChatFile(transcript);
  let text: string;
  try {
    text = await readFile(own.path, 'utf8');
  } catch {
    return undefined;
  }
  const ownChat = parseGeminiChat(text, own.path);
  const sessionId = own.parentSessionId ?? ownChat.sessionId;
  const others = (await sessionChatFiles(own, sessionId)).filter((file) => file.path !== own.path);
  const { chats, diagnostics } = await readChats(others);
  const session = [{ file: own, chat: ownChat }, ...chats].filter(({ file, chat }) => (file.parentSessionId ?? chat.sessionId) === sessionId);
  for (const { chat } of session) addDiagnostics(diagnostics, chat.diagnostics);
  // `<gemini dir>/tmp/<project>/chats`: the registry beside `tmp/` names hash folders.
  const names = own.chatsDir ? await projectNamesByHash(path.dirname(path.dirname(path.dirname(own.chatsDir)))) : new Map<string, string>();
  const { events } = mergeRead(session, diagnostics, names);
  return { sessionId, events, warnings: diagnostics.malformedSamples };
}

/** Reads and parses `files`; the diagnostics returned hold only the files that could not be read. */
async function readChats(files: readonly GeminiChatFile[], since?: Date): Promise<{ chats: ReadChat[]; diagnostics: ReadDiagnostics }> {
  const chats: ReadChat[] = [];
  const diagnostics = emptyDiagnostics();
  for (const file of files) {
    let text: string;
    try {
      if (since && (await stat(file.path)).mtime < since) continue;
      text = await readFile(file.path, 'utf8');
    } catch (error) {
      addMalformed(diagnostics, `${file.path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      continue;
    }
    chats.push({ file, chat: parseGeminiChat(text, file.path) });
  }
  return { chats, diagnostics };
}

/** Merges across files; a call found in two files counts once, the other copy as a duplicate. */
function mergeRead(chats: readonly ReadChat[], diagnostics: ReadDiagnostics, names: ReadonlyMap<string, string>): GeminiRead {
  const { events, duplicates } = mergeGeminiChats(chats, names);
  diagnostics.responses -= duplicates;
  diagnostics.duplicateLines += duplicates;
  return { events, diagnostics };
}
