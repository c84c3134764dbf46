/**
 * Spreads the parsing of many transcripts over worker threads (one per core, the main thread
 * being one of them), balanced by bytes to parse. Small reads stay on the main thread: a worker
 * costs tens of milliseconds to start, which a single session's transcript never repays.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { readTranscripts, type BatchItem, type BatchResult } from './read-file.js';

/** Below this many bytes to parse, one thread is as fast as several. */
const PARALLEL_MIN_BYTES = 24 << 20;
const MAX_THREADS = 4;

/**
 * The bundled worker script sits beside the bundle's chunks (see scripts/build.mjs); when running
 * from source (tests) there is none and everything is parsed on the main thread.
 */
const WORKER_URL = new URL('./claude-code-worker.js', import.meta.url);

function bytesToParse({ file, cached }: BatchItem): number {
  if (cached && cached.size === file.size && cached.mtimeMs === file.mtimeMs) return 0;
  return file.size - (cached && cached.offset <= file.size ? cached.offset : 0);
}

/** Splits items into `count` groups of similar byte totals (largest first, to the lightest group). */
export function balance(items: BatchItem[], count: number): BatchItem[][] {
  const groups = Array.from({ length: count }, () => ({ bytes: 0, items: [] as BatchItem[] }));
  for (const item of [...items].sort((a, b) => bytesToParse(b) - bytesToParse(a))) {
    const lightest = groups.reduce((min, group) => (group.bytes < min.bytes ? group : min));
    lightest.items.push(item);
    lightest.bytes += bytesToParse(item);
  }
  return groups.map((group) => group.items).filter((group) => group.length > 0);
}

function runWorker(batch: BatchItem[], keepEntries: boolean): Promise<BatchResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: { batch, keepEntries } });
    worker.once('message', (result: BatchResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`transcript worker exited with code ${code}`)));
  });
}

/**
 * Threads to parse with, or `TOKENLEDGER_THREADS`. On a 2-vCPU machine (bench/RESULTS.md) two
 * threads were slower than one: CPU time per byte doubled, as when the two vCPUs share a core.
 * So workers start only from four cores.
 */
function threadCount(env: NodeJS.ProcessEnv): number {
  const asked = Number.parseInt(env.TOKENLEDGER_THREADS ?? '', 10);
  if (asked > 0) return asked;
  const cores = availableParallelism();
  return cores >= 4 ? Math.min(MAX_THREADS, cores) : 1;
}

/** Reads all items, in parallel when it pays; results keep the items' order. */
export async function readInParallel(items: BatchItem[], keepEntries: boolean, env: NodeJS.ProcessEnv = process.env): Promise<BatchResult> {
  const total = items.reduce((sum, item) => sum + bytesToParse(item), 0);
  const threads = threadCount(env);
  if (threads < 2 || total < PARALLEL_MIN_BYTES || !existsSync(fileURLToPath(WORKER_URL))) return readTranscripts(items, keepEntries);
  const [own, ...others] = balance(items, threads);
  const parts = await Promise.all([readTranscripts(own ?? [], keepEntries), ...others.map((group) => runWorker(group, keepEntries))]);
  const order = new Map(items.map((item, index) => [item.file.path, index]));
  const merged: BatchResult = { results: [], failures: [], entries: [] };
  for (const part of parts) {
    merged.results.push(...part.results);
    merged.failures.push(...part.failures);
    merged.entries.push(...part.entries);
  }
  merged.results.sort((a, b) => order.get(a.file.path)! - order.get(b.file.path)!);
  return merged;
}
