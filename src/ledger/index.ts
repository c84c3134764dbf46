/**
 * The ledger: session summaries on the `token-data` branch, written, read and pushed with git
 * plumbing that never touches the developer's checkout (DESIGN.md §5).
 *
 * Not exported: the runner and tree building (`plumbing.ts`, `tree.ts`, `commits.ts`), which are
 * internal and may change, and `writeLedgerFiles`, which writes without the schema check (tests use
 * it to plant damaged files); `git.ts` is imported directly by the modules that need raw git.
 * `summaryFiles` is exported: it is exactly what would be committed (`summarize --dry-run`).
 */
export { InvalidSummaryError, LedgerError } from './errors.js';
export { DATA_REF, parseSummaryPath, remoteTipRef, SESSIONS_DIR, summaryPath, trackingRef, type SummaryPathParts } from './paths.js';
export { LEDGER_IDENTITY } from './plumbing.js';
export { pendingCommits, pushLedger, type PushOptions, type PushOutcome, type PushResult } from './push.js';
export { listSummaryPaths, readSummaries, type InvalidLedgerFile, type LedgerContents, type StoredSummary } from './read.js';
export { summaryFiles, writeSummaries, type LedgerFile, type WriteOptions, type WriteResult } from './write.js';
