/** Worker-thread entry: reads files of the shared job until none is left, posting each outcome as it is done. */
import { parentPort, workerData } from 'node:worker_threads';
import { readShare, toWorkerMessage, type ReadJob } from './parallel.js';

await readShare(workerData as ReadJob, (outcome) => parentPort!.postMessage(toWorkerMessage(outcome)));
