/** Worker-thread entry: reads one batch of transcripts and posts the plain-data result back. */
import { parentPort, workerData } from 'node:worker_threads';
import { readTranscripts, type BatchItem } from './read-file.js';

const { batch, keepEntries } = workerData as { batch: BatchItem[]; keepEntries: boolean };
parentPort!.postMessage(await readTranscripts(batch, keepEntries));
