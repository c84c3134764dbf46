import { describe, expect, it } from 'vitest';
import { zeroTokens, type UsageEvent } from '../events.js';
import { exportedEvent } from './event.js';
import { joinExports } from './join.js';
import { sessionLevelKey } from './keys.js';

function exported(sessionId: string, requestKey: string): UsageEvent {
  return exportedEvent({ sessionId, requestKey, timestampMs: 0, model: 'm', tokens: zeroTokens(), speed: 'standard', agentVersion: null, entrypoint: null });
}

function transcript(sessionId: string, requestKey: string, agent: UsageEvent['agent'] = 'claude-code'): UsageEvent {
  return { ...exported(sessionId, requestKey), agent, project: '-home-dev-app', turn: 1 };
}

describe('joinExports', () => {
  it('drops exported requests whose request id a transcript response carries, and keeps the rest', () => {
    const transcripts = [transcript('s1', 'msg_a\u0000req_a'), transcript('s1', 'msg_b\u0000req_b'), transcript('s1', 'msg_c')];
    const { kept, joined } = joinExports(transcripts, [exported('s1', 'req_a'), exported('s1', 'req_b'), exported('s1', 'req_x'), exported('s2', 'req_y')]);
    expect(joined).toBe(2);
    expect(kept.map((e) => e.requestKey)).toEqual(['req_x', 'req_y']);
  });

  it('joins what has no request id by session: kept only when no transcript of its session was read', () => {
    const transcripts = [transcript('s1', 'msg_a\u0000req_a')];
    const { kept } = joinExports(transcripts, [exported('s1', sessionLevelKey('metrics', 's1', 'm', 'standard', '1')), exported('s2', sessionLevelKey('metrics', 's2', 'm', 'standard', '1'))]);
    expect(kept.map((e) => e.sessionId)).toEqual(['s2']);
  });

  it('ignores other agents\' events', () => {
    const { joined } = joinExports([transcript('s1', 'req_a', 'codex')], [exported('s1', 'req_a')]);
    expect(joined).toBe(0);
  });
});
