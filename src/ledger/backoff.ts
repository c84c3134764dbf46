/** Waiting between retries. Random jitter keeps racing writers and pushers from retrying in lockstep. */
import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

/** Up to `maxMs` ms, uniformly: enough to let a racing writer finish its swap. */
export function jitter(maxMs: number): number {
  return Math.random() * maxMs;
}

/** Exponential backoff: about `baseMs * 2^(retry-1)` for retry 1, 2, …, scaled by a random 0.5–1.5. */
export function backoffDelay(retry: number, baseMs: number): number {
  return baseMs * 2 ** Math.max(0, retry - 1) * (0.5 + Math.random());
}
