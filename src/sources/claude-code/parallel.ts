/**
 * Reads many transcripts, on the main thread and, for a large read, on worker threads beside it.
 * The threads take files one at a time from a shared counter, so a thread that starts late or gets
 * large files simply takes fewer; outcomes are handed to the caller in the order of the file list
 * whoever read them, so the merged result (down to the order float costs are added in) is the same
 * on any number of threads. Small reads stay on the main thread: a worker costs tens of
 * milliseconds to start.
 *
 * On the 2-vCPU bench machine (2026-12-06, a first `report` into an empty cache) two threads
 * read 1 GB in 1.7 s against 2.2 s on one, 200 MB in the same 0.56 s. They cost 20-35% more CPU
 * in all, as two separate processes do there too: busy, the two vCPUs slow each other's reads
 * down. (A second thread used to be a loss there: files split in fixed halves, and states cloned
 * object by object, see `WorkerMessage`.)
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { decodeState, encodeState, type EncodedState } from './cached-state.js';
import type { TranscriptFile } from './paths.js';
import { readTranscript, type FileOutcome, type StoredTranscript } from './read-file.js';

/** Below this many bytes to read, one thread is as fast as several. */
const PARALLEL_MIN_BYTES = 24 << 20;
const MAX_THREADS = 4;

/**
 * The bundled worker script sits beside the bundle's chunks (see scripts/build.mjs); when running
 * from source (tests) there is none and everything is read on the main thread.
 */
const WORKER_URL = new URL('./claude-code-worker.js', import.meta.url);

/**
 * What the reading threads share: the files, their stored entries (null where there is none), the
 * counter of the next one to read, and whether entries to store are wanted.
 */
export interface ReadJob {
  files: TranscriptFile[];
  stored: (StoredTranscript | null)[];
  caching: boolean;
  next: Int32Array;
}

/** A file's outcome by its index in the job's list. */
export type IndexedOutcome = [index: number, outcome: FileOutcome];

/**
 * A worker's message: an outcome with the state in its cached form, sent once when it is the
 * stored state too. Cloning a state's objects across threads cost the main thread more than
 * decoding the columns (measured: 190 ms against 45 ms for the states of 200 MB of transcripts),
 * and the main thread is the busier one.
 */
export type WorkerMessage = [
  index: number,
  outcome: { file: TranscriptFile; stored: StoredTranscript | null; encoded: EncodedState | null } | { file: TranscriptFile; failure: string },
];

/** The message a worker posts for the file at `index`. */
export function toWorkerMessage([index, outcome]: IndexedOutcome): WorkerMessage {
  if (!('state' in outcome)) return [index, outcome];
  const { file, stored } = outcome;
  return [index, { file, stored, encoded: stored && outcome.storedIsState ? null : encodeState(outcome.state) }];
}

function fromWorkerMessage([index, outcome]: WorkerMessage): IndexedOutcome {
  if (!('stored' in outcome)) return [index, outcome];
  const { file, stored, encoded } = outcome;
  const state = decodeState(encoded ?? stored!.state);
  if (!state) throw new Error(`transcript worker sent a state that does not decode (${file.path})`);
  return [index, { file, state, stored, storedIsState: encoded === null }];
}

/** The indexes of the files this thread is to read, taken one at a time from the shared counter. */
export function* claimFiles(job: ReadJob): Generator<number> {
  for (let index = Atomics.add(job.next, 0, 1); index < job.files.length; index = Atomics.add(job.next, 0, 1)) yield index;
}

/**
 * Reads files of the job until none is left, handing each outcome to `deliver`. Between files it
 * lets the event loop run, so that on the main thread the workers' messages come in.
 */
export async function readShare(job: ReadJob, deliver: (outcome: IndexedOutcome) => void): Promise<void> {
  for (const index of claimFiles(job)) {
    deliver([index, readTranscript(job.files[index]!, job.stored[index] ?? undefined, job.caching)]);
    await new Promise(setImmediate);
  }
}

/** Hands outcomes on in file order, holding the few that arrive before their turn. */
export class InOrder {
  private next = 0;
  private readonly early = new Map<number, FileOutcome>();

  constructor(private readonly deliver: (outcome: FileOutcome) => void) {}

  put([index, outcome]: IndexedOutcome): void {
    if (index !== this.next) {
      this.early.set(index, outcome);
      return;
    }
    this.deliver(outcome);
    for (let waiting = this.early.get(++this.next); waiting; waiting = this.early.get(++this.next)) {
      this.early.delete(this.next);
      this.deliver(waiting);
    }
  }
}

/** Threads to read with: `TOKENLEDGER_THREADS` whatever the size, else one per core (up to four) for a large read. */
function threadCount(env: NodeJS.ProcessEnv, bytes: number): number {
  const asked = Number.parseInt(env.TOKENLEDGER_THREADS ?? '', 10);
  if (asked > 0) return asked;
  return bytes < PARALLEL_MIN_BYTES ? 1 : Math.min(MAX_THREADS, availableParallelism());
}

/**
 * A worker's young generation: what parsing allocates dies within a line, so a small one costs no
 * time, and V8's default (up to 48 MB) was that much more resident memory per worker
 * (measured at 1 GB: peak 200 MiB against 222, same wall time).
 */
const WORKER_YOUNG_GENERATION_MB = 8;

function runWorker(job: ReadJob, onOutcome: (outcome: IndexedOutcome) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    worker.on('message', (message: WorkerMessage) => onOutcome(fromWorkerMessage(message)));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`transcript worker exited with code ${code}`))));
  });
}

/**
 * Reads every file, from its stored entry where one is given, calling `onOutcome` for each in the
 * order of `files`. `caching` asks for each file's entry to store.
 */
export async function readTranscripts(
  files: TranscriptFile[],
  stored: (StoredTranscript | null)[],
  caching: boolean,
  onOutcome: (outcome: FileOutcome) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const job: ReadJob = { files, stored, caching, next: new Int32Array(new SharedArrayBuffer(4)) };
  const inOrder = new InOrder(onOutcome);
  const threads = Math.min(files.length, threadCount(env, files.reduce((sum, file) => sum + file.size, 0)));
  const workers = threads > 1 && existsSync(fileURLToPath(WORKER_URL)) ? Array.from({ length: threads - 1 }, () => runWorker(job, (outcome) => inOrder.put(outcome))) : [];
  await Promise.all([readShare(job, (outcome) => inOrder.put(outcome)), ...workers]);
}
