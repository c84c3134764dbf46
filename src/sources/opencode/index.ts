/**
 * The OpenCode source: every SQLite store and legacy JSON folder on this machine -> usage events and
 * what reading saw. Stores are read first and legacy files after, so a message kept in both counts
 * once (from the store).
 */
import path from 'node:path';
import { emptyDiagnostics, type UsageEvent } from '../events.js';
import { addDiagnostics, addMalformed } from '../diagnostics.js';
import { listRootSessions, openDatabase, readDatabaseStore, readSessions, sessionState } from './database.js';
import { readLegacySessions, readLegacyStore } from './legacy.js';
import { parseOpenCodeStore, rootSession, sessionFamily, type OpenCodeRead } from './parse.js';
import { databaseModifiedMs, formatOpenCodeTranscript, getLegacySessionFolders, getOpenCodeDatabases, type OpenCodeTranscript } from './paths.js';
import type { OpenCodeStore } from './schema.js';

export { billedOutput, parseOpenCodeStore, type OpenCodeRead } from './parse.js';
export { getOpenCodeDatabases, getOpenCodeDataDirs, getLegacySessionFolders, parseOpenCodeTranscript } from './paths.js';

export interface ReadOpenCodeOptions {
  /** Environment to resolve `OPENCODE_DATA_DIR`, `XDG_DATA_HOME` and `~` from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * Skip stores (and legacy session folders) last written before this instant: they cannot hold
   * newer responses. Events inside what is read are not filtered; that is the caller's job.
   */
  sinceMs?: number;
}

/** Reads every store, then the legacy files. A store that cannot be read is reported (file and reason) and skipped. */
export async function readOpenCodeSessions(options: ReadOpenCodeOptions = {}): Promise<OpenCodeRead> {
  const events: UsageEvent[] = [];
  const diagnostics = emptyDiagnostics();
  const seen = new Set<string>();
  const add = (read: OpenCodeRead) => {
    // One push per event: spreading a very long array into push() can overflow the stack.
    for (const event of read.events) events.push(event);
    addDiagnostics(diagnostics, read.diagnostics);
  };

  for (const file of await getOpenCodeDatabases(options.env)) {
    if (options.sinceMs !== undefined && (await databaseModifiedMs(file)) < options.sinceMs) continue;
    const store = await readStore(file, diagnostics);
    if (!store) continue;
    diagnostics.filesRead += 1;
    add(parseOpenCodeStore(store, seen));
  }

  const folders = await getLegacySessionFolders(options.env);
  if (folders.length > 0) {
    const { store, filesRead } = await readLegacyStore(folders, { sinceMs: options.sinceMs });
    diagnostics.filesRead += filesRead;
    add(parseOpenCodeStore(store, seen));
  }
  return { events, diagnostics };
}

/** One store, or undefined after counting it as malformed with its reason (locked, corrupt, not OpenCode's). */
async function readStore(file: string, diagnostics: OpenCodeRead['diagnostics']): Promise<OpenCodeStore | undefined> {
  let db;
  try {
    db = await openDatabase(file);
    return readDatabaseStore(db, file);
  } catch (error) {
    addMalformed(diagnostics, `${file}: cannot be read (${(error as Error).message})`);
    return undefined;
  } finally {
    db?.close();
  }
}

/**
 * One session and its sub-agents, for `summarize` and capture; `sessionId` is its top-level
 * session's (a sub-agent given directly is filed where reports file it). Undefined when there is no
 * such session; a store that cannot be read gives no events and a warning.
 */
export async function readOpenCodeSession(transcript: OpenCodeTranscript): Promise<{ sessionId: string; read: OpenCodeRead } | undefined> {
  if (transcript.kind === 'legacy') {
    const storage = path.dirname(path.dirname(transcript.folder));
    const sessions = await readLegacySessions(storage);
    const family = sessionFamily(transcript.sessionId, sessions);
    const { store, filesRead } = await readLegacyStore(family.map((id) => path.join(storage, 'message', id)));
    if (filesRead === 0) return undefined;
    const read = parseOpenCodeStore(store);
    read.diagnostics.filesRead = filesRead;
    return { sessionId: rootSession(transcript.sessionId, sessions), read };
  }

  let db;
  try {
    db = await openDatabase(transcript.file);
    const sessions = readSessions(db);
    if (!sessions.has(transcript.sessionId)) return undefined;
    const read = parseOpenCodeStore(readDatabaseStore(db, transcript.file, sessionFamily(transcript.sessionId, sessions)));
    read.diagnostics.filesRead = 1;
    return { sessionId: rootSession(transcript.sessionId, sessions), read };
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_CANTOPEN') return undefined;
    const diagnostics = emptyDiagnostics();
    addMalformed(diagnostics, `${transcript.file}: cannot be read (${(error as Error).message})`);
    return { sessionId: transcript.sessionId, read: { events: [], diagnostics } };
  } finally {
    db?.close();
  }
}

/**
 * Top-level sessions of every store whose recorded folder `belongs` (capture's sweep: inside the
 * repository), as `<store>#<sessionID>`. A store that cannot be read is passed over; the next
 * sweep tries again. Legacy folders are not swept: no current OpenCode writes them.
 */
export async function findOpenCodeSessions(belongs: (directory: string) => boolean, env?: NodeJS.ProcessEnv): Promise<string[]> {
  const found: string[] = [];
  for (const file of await getOpenCodeDatabases(env)) {
    let db;
    try {
      db = await openDatabase(file);
      for (const session of listRootSessions(db)) if (session.directory && belongs(session.directory)) found.push(formatOpenCodeTranscript(file, session.id));
    } catch {
      continue;
    } finally {
      db?.close();
    }
  }
  return found;
}

/** A session's size (rows) and last change, as the capture index compares them; undefined when it is gone. */
export async function openCodeSessionState(transcript: Extract<OpenCodeTranscript, { kind: 'database' }>): Promise<{ size: number; mtimeMs: number } | undefined> {
  const db = await openDatabase(transcript.file);
  try {
    return sessionState(db, transcript.sessionId);
  } finally {
    db.close();
  }
}
