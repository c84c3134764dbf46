/**
 * Spreads the reading of many transcripts over worker threads, balanced by file size, handing
 * each file's outcome to the caller as soon as it is ready (so memory holds one file's state per
 * thread, not all of them). Small reads, and machines with fewer than four cores, stay on the
 * main thread: a worker costs tens of milliseconds to start, and on the 2-vCPU bench machine two
 * parsing threads cost twice the CPU per byte and finished later than one (bench/RESULTS.md).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TranscriptFile } from './paths.js';
import { readTranscript, type CacheLocation, type FileOutcome } from './read-file.js';

/** Below this many bytes to read, one thread is as fast as several. */
const PARALLEL_MIN_BYTES = 24 << 20;
const MAX_THREADS = 4;

/**
 * The bundled worker script sits beside the bundle's chunks (see scripts/build.mjs); when running
 * from source (tests) there is none and everything is read on the main thread.
 */
const WORKER_URL = new URL('./claude-code-worker.js', import.meta.url);

/** Splits files into `count` groups of similar byte totals (largest first, to the lightest group). */
export function balance(files: TranscriptFile[], count: number): TranscriptFile[][] {
  const groups = Array.from({ length: count }, () => ({ bytes: 0, files: [] as TranscriptFile[] }));
  for (const file of [...files].sort((a, b) => b.size - a.size)) {
    const lightest = groups.reduce((min, group) => (group.bytes < min.bytes ? group : min));
    lightest.files.push(file);
    lightest.bytes += file.size;
  }
  return groups.map((group) => group.files).filter((group) => group.length > 0);
}

/** Threads to read with: `TOKENLEDGER_THREADS`, else one per core from four cores up. */
function threadCount(env: NodeJS.ProcessEnv): number {
  const asked = Number.parseInt(env.TOKENLEDGER_THREADS ?? '', 10);
  if (asked > 0) return asked;
  const cores = availableParallelism();
  return cores >= 4 ? Math.min(MAX_THREADS, cores) : 1;
}

function runWorker(files: TranscriptFile[], cache: CacheLocation | null, onOutcome: (outcome: FileOutcome) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: { files, cache } });
    worker.on('message', onOutcome);
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`transcript worker exited with code ${code}`))));
  });
}

/** Reads every file, calling `onOutcome` for each as it completes (in no particular order). */
export async function readTranscripts(files: TranscriptFile[], cache: CacheLocation | null, onOutcome: (outcome: FileOutcome) => void, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const threads = threadCount(env);
  const total = files.reduce((sum, file) => sum + file.size, 0);
  if (threads < 2 || total < PARALLEL_MIN_BYTES || !existsSync(fileURLToPath(WORKER_URL))) {
    for (const file of files) onOutcome(readTranscript(file, cache));
    return;
  }
  const [own, ...others] = balance(files, threads);
  await Promise.all([
    (async () => {
      for (const file of own ?? []) {
        onOutcome(readTranscript(file, cache));
        await new Promise(setImmediate); // let the workers' messages in between files
      }
    })(),
    ...others.map((group) => runWorker(group, cache, onOutcome)),
  ]);
}
