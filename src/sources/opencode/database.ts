/**
 * Reading one OpenCode SQLite store (`opencode.db`), read-only. better-sqlite3 is a native module:
 * it is loaded on first use, so reports on machines without OpenCode never pay for it. It is the
 * reader that sees rows still in the write-ahead log of a store OpenCode has open (sql.js reads the
 * main file only and misses them; `node:sqlite` needs Node 22).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import { sessionFamily } from './parse.js';
import type { MessageRow, OpenCodeStore, SessionInfo, ToolPart } from './schema.js';

type Database = BetterSqlite3.Database;

/**
 * How long to wait for a writer's lock before giving up on the store. In WAL mode (OpenCode's)
 * readers are never blocked; a rollback-journal store can be locked briefly while OpenCode writes.
 */
const BUSY_TIMEOUT_MS = 1000;

let driver: Promise<typeof BetterSqlite3> | undefined;

/** Opens a store read-only; throws (missing file, not a database) like any SQLite error. */
export async function openDatabase(file: string): Promise<Database> {
  driver ??= import('better-sqlite3').then((module) => module.default);
  const Driver = await driver;
  return new Driver(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
}

const sessionRowSchema = z.object({ id: z.string(), parent_id: z.string().nullable(), directory: z.string().nullable(), version: z.string().nullable() });
const messageRowSchema = z.object({ id: z.string(), session_id: z.string(), time_created: z.number().nullable(), data: z.unknown() });
const toolRowSchema = z.object({ id: z.string(), message_id: z.string(), valid: z.number(), tool: z.unknown(), command: z.unknown() });

/**
 * Reads a store's sessions, messages and tool calls in one read transaction, so they agree with
 * each other while OpenCode writes. `sessionIds`: only these sessions' rows (one session and its
 * sub-agents); default all. Throws when the store cannot be read; bad rows become `problems`.
 */
export function readDatabaseStore(db: Database, file: string, sessionIds?: readonly string[]): OpenCodeStore {
  return db.transaction(() => {
    const sessions = readSessions(db);
    // json_each takes the ids as one bound JSON array, however many there are.
    const only = sessionIds ? 'WHERE session_id IN (SELECT value FROM json_each(?))' : '';
    const parameters = sessionIds ? [JSON.stringify(sessionIds)] : [];
    const problems: string[] = [];

    const messages: MessageRow[] = [];
    for (const raw of db.prepare(`SELECT id, session_id, time_created, data FROM message ${only} ORDER BY session_id, time_created, id`).all(...parameters)) {
      const row = messageRowSchema.safeParse(raw);
      if (!row.success) {
        problems.push(rowProblem(file, 'message', raw, row.error));
        continue;
      }
      const { id, session_id: sessionId, time_created: createdMs, data } = row.data;
      // A BLOB or NULL `data` reaches the parser as text that is not JSON, and is counted there.
      messages.push({ id, sessionId, createdMs, data: typeof data === 'string' ? data : '', where: `${file}:${id}` });
    }

    // Only tool parts are needed; the others hold text and file contents, often most of the store,
    // so they are filtered (and the two fields picked out) inside SQLite. json_valid guards the
    // extraction: json_extract stops the whole query at the first row that is not JSON.
    const tools: ToolPart[] = [];
    const partFilter = `CASE WHEN json_valid(data) THEN json_extract(data, '$.type') = 'tool' ELSE 1 END${sessionIds ? ' AND session_id IN (SELECT value FROM json_each(?))' : ''}`;
    const partQuery = `SELECT id, message_id, json_valid(data) AS valid,
        CASE WHEN json_valid(data) THEN json_extract(data, '$.tool') END AS tool,
        CASE WHEN json_valid(data) THEN json_extract(data, '$.state.input.command') END AS command
      FROM part WHERE ${partFilter} ORDER BY id`;
    for (const raw of db.prepare(partQuery).all(...parameters)) {
      const row = toolRowSchema.safeParse(raw);
      if (!row.success) {
        problems.push(rowProblem(file, 'part', raw, row.error));
        continue;
      }
      const { id, message_id: messageId, valid, tool, command } = row.data;
      if (!valid) problems.push(`${file}:${id}: part data: invalid JSON, skipped (a tool call, if it was one, is not counted)`);
      else if (typeof tool !== 'string' || tool === '') problems.push(`${file}:${id}: part data.tool: missing, its tool call is not counted`);
      else tools.push({ messageId, tool, command });
    }
    return { sessions, messages, tools, problems };
  })();
}

/** `<file>:<row id>: <table> <column>: <reason>` for a row whose columns are not what OpenCode writes. */
function rowProblem(file: string, table: string, raw: unknown, error: z.ZodError): string {
  const issue = error.issues[0];
  return `${file}:${String((raw as { id?: unknown }).id)}: ${table} ${issue?.path.join('.') ?? 'row'}: ${issue?.message ?? 'invalid'}, skipped`;
}

/** Every session of the store, by id. */
export function readSessions(db: Database): Map<string, SessionInfo> {
  const sessions = new Map<string, SessionInfo>();
  for (const raw of db.prepare('SELECT id, parent_id, directory, version FROM session').all()) {
    const row = sessionRowSchema.safeParse(raw);
    if (row.success) sessions.set(row.data.id, { parentId: row.data.parent_id, directory: row.data.directory, version: row.data.version });
  }
  return sessions;
}

/** Top-level sessions (not sub-agents) with the folder OpenCode ran in. */
export function listRootSessions(db: Database): { id: string; directory: string | null }[] {
  return [...readSessions(db)].filter(([, info]) => !info.parentId).map(([id, info]) => ({ id, directory: info.directory }));
}

/**
 * A session's size and last change, as the capture index compares them: rows (messages and parts)
 * of the session and its sub-agents, and the newest row update in epoch milliseconds.
 */
export function sessionState(db: Database, sessionId: string): { size: number; mtimeMs: number } | undefined {
  const sessions = readSessions(db);
  if (!sessions.has(sessionId)) return undefined;
  const family = JSON.stringify(sessionFamily(sessionId, sessions));
  const query = (table: string) =>
    db.prepare(`SELECT COUNT(*) AS rows, COALESCE(MAX(time_updated), 0) AS updated FROM ${table} WHERE session_id IN (SELECT value FROM json_each(?))`).get(family) as { rows: number; updated: number };
  const [messages, parts] = [query('message'), query('part')];
  return { size: messages.rows + parts.rows, mtimeMs: Math.max(messages.updated, parts.updated) };
}
