/**
 * Request keys of exported events, and how they meet the transcript's.
 *
 * The transcript adapter keys a response `message.id + "\0" + requestId` (claude-code/parse.ts).
 * `claude_code.api_request` carries `request_id` (the transcript's `requestId`) but no message
 * id, so an exported request is keyed by its request id alone and joined to a transcript event
 * through the request-id half of the transcript's key.
 *
 * What carries no request id (metric aggregates; an api_request without `request_id`) gets a key
 * under `SESSION_LEVEL_PREFIX` and can only be joined by session.
 */

const SEPARATOR = '\u0000';
const SESSION_LEVEL_PREFIX = `otel${SEPARATOR}`;

/** The request id in a request key: the part after the transcript key's separator, or the key itself. */
export function requestIdOfKey(requestKey: string): string {
  return requestKey.slice(requestKey.lastIndexOf(SEPARATOR) + 1);
}

/** What a session-level key stands for: an api_request without `request_id`, or a metric aggregate. */
export type SessionLevelKind = 'event' | 'metrics';

/** A key for exported usage that no request id identifies. */
export function sessionLevelKey(kind: SessionLevelKind, ...parts: string[]): string {
  return [SESSION_LEVEL_PREFIX + kind, ...parts].join(SEPARATOR);
}

/** The kind of a session-level key, or null for a request key. */
export function sessionLevelKind(requestKey: string): SessionLevelKind | null {
  if (!requestKey.startsWith(SESSION_LEVEL_PREFIX)) return null;
  return requestKey.startsWith(`${SESSION_LEVEL_PREFIX}metrics${SEPARATOR}`) ? 'metrics' : 'event';
}
