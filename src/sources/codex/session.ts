/** Who a rollout belongs to, from its `session_meta` (or, lacking one, its file name). */
import type { UsageEvent } from '../events.js';
import type { SessionMeta } from './schema.js';

export type SessionIdentity = Pick<UsageEvent, 'sessionId' | 'project' | 'isSidechain' | 'agentId' | 'agentVersion' | 'entrypoint' | 'gitBranch'> & {
  /** The rollout's own thread id; differs from `sessionId` for sub-agents. */
  threadId: string;
};

const ROLLOUT_UUID = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i;

export function sessionIdentity(meta: SessionMeta | null, file: string): SessionIdentity {
  const threadId = meta?.id || ROLLOUT_UUID.exec(file)?.[1] || fileStem(file);
  const parentId = subAgentParent(meta);
  const isSidechain = parentId !== undefined;
  return {
    threadId,
    // Like Claude Code's sidechains, sub-agent traffic is filed under the session that spawned it.
    sessionId: parentId || threadId,
    project: projectName(meta),
    isSidechain,
    agentId: isSidechain ? threadId : null,
    agentVersion: meta?.cli_version || null,
    entrypoint: meta?.originator || (typeof meta?.source === 'string' ? meta.source : null) || null,
    gitBranch: meta?.git?.branch || null,
  };
}

/**
 * `undefined` for a normal thread (a human fork included); for a sub-agent thread its parent's id,
 * or null when the rollout does not say (review sub-agents).
 */
function subAgentParent(meta: SessionMeta | null): string | null | undefined {
  const source = meta?.source;
  const subagent = typeof source === 'object' && source !== null ? source.subagent : undefined;
  const isSubAgent =
    (subagent !== undefined && subagent !== null) ||
    meta?.thread_source === 'subagent' ||
    (typeof source === 'string' && source.startsWith('subagent'));
  if (!isSubAgent) return undefined;
  const spawned = typeof subagent === 'object' && subagent !== null ? subagent.thread_spawn?.parent_thread_id : undefined;
  return spawned || meta?.parent_thread_id || null;
}

/**
 * A local grouping key: the repository name from the git remote (the same across clones and
 * worktrees), else the working folder's name. Never the full path.
 */
function projectName(meta: SessionMeta | null): string {
  const remote = meta?.git?.repository_url?.replace(/(?:\.git)?[/\\]*$/, '');
  if (remote) return remote.split(/[/:\\]/).pop() ?? '';
  return meta?.cwd?.replace(/[/\\]+$/, '').split(/[/\\]/).pop() ?? '';
}

/** Last resort for a file with neither `session_meta` nor a UUID in its name. */
function fileStem(file: string): string {
  return (file.split(/[/\\]/).pop() ?? '').replace(/\.jsonl$/, '') || file;
}
