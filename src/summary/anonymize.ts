/**
 * Pseudonyms for what identifies a person or their work: the git e-mail and the branch name
 * become keyed HMACs (the key: `resolveAnonymizationKey` in config.ts). Without the key an id
 * cannot be traced back; with it, anyone can test a guessed e-mail, which is why the key should
 * be a team secret. Absolute times are coarsened by `roundTime` (summarize.ts, re-exported here).
 */
import { createHmac } from 'node:crypto';

export { roundTime } from './summarize.js';

/** Hex characters kept from the HMAC: 48 bits, so a team never sees two developers collide. */
const ID_HEX = 12;

function hmacHex(key: string, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('hex').slice(0, ID_HEX);
}

/**
 * `dev_` + 12 hex of HMAC-SHA256(key, e-mail). The e-mail is trimmed and lower-cased first, so
 * `Alice@Example.com ` in one git config and `alice@example.com` in another are one developer.
 */
export function developerId(email: string, key: string): string {
  return `dev_${hmacHex(key, email.trim().toLowerCase())}`;
}

/**
 * `br_` + 12 hex of HMAC-SHA256(key, `branch:` + name). The prefix keeps branch ids apart from
 * developer ids made with the same key. The name is used as it is (branch names are
 * case-sensitive in git).
 */
export function hashedBranch(name: string, key: string): string {
  return `br_${hmacHex(key, `branch:${name}`)}`;
}

/** Longest plain branch name a summary holds (its schema allows 200 characters). */
const PLAIN_BRANCH_MAX = 200;

/**
 * The summary's `branch`: hashed, or the plain name where `.tokenledger.json` says
 * `branchNames: "plain"`. A plain name too long for the summary is hashed instead of cut, so
 * two long names never merge into one. Null (detached HEAD, unknown) stays null.
 */
export function summaryBranch(name: string | null, key: string, branchNames: 'hashed' | 'plain'): string | null {
  if (name === null || name === '') return null;
  if (branchNames === 'plain' && name.length <= PLAIN_BRANCH_MAX) return name;
  return hashedBranch(name, key);
}
