/**
 * Small OpenCode stores for tests, written here: a SQLite `opencode.db` with the `session`,
 * `message` and `part` tables as OpenCode 1.17 creates them (columns the adapter reads, plus the
 * NOT NULL ones beside them), and the legacy JSON layout. Records default to a plain billed response.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';

const SCHEMA = `
  CREATE TABLE session (id text PRIMARY KEY, project_id text NOT NULL, parent_id text, slug text NOT NULL, directory text NOT NULL,
    title text NOT NULL, version text NOT NULL, time_created integer NOT NULL, time_updated integer NOT NULL,
    tokens_input integer DEFAULT 0 NOT NULL, tokens_output integer DEFAULT 0 NOT NULL);
  CREATE TABLE message (id text PRIMARY KEY, session_id text NOT NULL, time_created integer NOT NULL, time_updated integer NOT NULL, data text NOT NULL);
  CREATE TABLE part (id text PRIMARY KEY, message_id text NOT NULL, session_id text NOT NULL, time_created integer NOT NULL, time_updated integer NOT NULL, data text NOT NULL);
`;

export const T0 = Date.parse('2026-06-01T10:00:00Z');

export interface SessionSpec {
  id: string;
  parentId?: string;
  directory?: string;
  version?: string;
}

export interface MessageSpec {
  id: string;
  sessionId: string;
  /** An object is stored as JSON; a string as is (to store broken JSON). */
  data: object | string;
  createdMs?: number;
}

export interface PartSpec {
  id: string;
  messageId: string;
  sessionId: string;
  data: object | string;
}

export interface StoreSpec {
  sessions?: SessionSpec[];
  messages?: MessageSpec[];
  parts?: PartSpec[];
}

export interface TokenSpec {
  input?: number;
  output?: number;
  reasoning?: number;
  read?: number;
  write?: number;
  total?: number;
}

/** `message.data` of a billed response; `total` is left out unless given. */
export function assistantData(tokens: TokenSpec, more: Record<string, unknown> = {}): object {
  const { input = 0, output = 0, reasoning = 0, read = 0, write = 0, total } = tokens;
  return {
    role: 'assistant',
    mode: 'build',
    modelID: 'claude-sonnet-4-5',
    providerID: 'anthropic',
    path: { cwd: '/work/app/src', root: '/work/app' },
    cost: 0.01,
    tokens: { ...(total === undefined ? {} : { total }), input, output, reasoning, cache: { read, write } },
    time: { created: T0, completed: T0 + 2000 },
    finish: 'stop',
    ...more,
  };
}

export function userData(createdMs = T0): object {
  return { role: 'user', time: { created: createdMs }, agent: 'build', model: { providerID: 'anthropic', modelID: 'claude-sonnet-4-5' } };
}

export function toolData(tool: string, input: Record<string, unknown> = {}): object {
  return { type: 'tool', tool, callID: `call_${tool}`, state: { status: 'completed', input, output: 'done', time: { start: T0, end: T0 + 5 } } };
}

const text = (data: object | string) => (typeof data === 'string' ? data : JSON.stringify(data));

/**
 * Writes a store and returns the open writer. `wal`: journal_mode=WAL with automatic checkpoints
 * off, so rows written stay in `-wal` while the writer is open (as with OpenCode running).
 */
export function createStore(file: string, spec: StoreSpec, options: { wal?: boolean } = {}): Database.Database {
  const db = new Database(file);
  if (options.wal) {
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
  }
  db.exec(SCHEMA);
  addRows(db, spec);
  return db;
}

export function addRows(db: Database.Database, spec: StoreSpec): void {
  const session = db.prepare('INSERT INTO session (id, project_id, parent_id, slug, directory, title, version, time_created, time_updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const message = db.prepare('INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?)');
  const part = db.prepare('INSERT INTO part (id, message_id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const s of spec.sessions ?? []) session.run(s.id, 'global', s.parentId ?? null, s.id, s.directory ?? '/work/app', 'title', s.version ?? '1.17.3', T0, T0);
    for (const m of spec.messages ?? []) message.run(m.id, m.sessionId, m.createdMs ?? T0, (m.createdMs ?? T0) + 1, text(m.data));
    for (const p of spec.parts ?? []) part.run(p.id, p.messageId, p.sessionId, T0, T0 + 1, text(p.data));
  })();
}

/**
 * The legacy layout under a data folder: `storage/session/global/<id>.json`,
 * `storage/message/<session>/<id>.json` (ids inside) and `storage/part/<message>/<id>.json`.
 */
export async function writeLegacyStore(dataDir: string, spec: StoreSpec): Promise<void> {
  const put = async (relative: string, data: object | string) => {
    const file = path.join(dataDir, 'storage', relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text(data));
  };
  for (const s of spec.sessions ?? []) {
    await put(`session/global/${s.id}.json`, { id: s.id, projectID: 'global', directory: s.directory ?? '/work/app', parentID: s.parentId, version: s.version ?? '0.15.0', title: 'title', time: { created: T0, updated: T0 } });
  }
  for (const m of spec.messages ?? []) {
    await put(`message/${m.sessionId}/${m.id}.json`, typeof m.data === 'string' ? m.data : { id: m.id, sessionID: m.sessionId, ...m.data });
  }
  for (const p of spec.parts ?? []) {
    await put(`part/${p.messageId}/${p.id}.json`, typeof p.data === 'string' ? p.data : { id: p.id, messageID: p.messageId, sessionID: p.sessionId, ...p.data });
  }
}
