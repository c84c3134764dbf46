/** Worker-thread entry: reads its share of transcripts, posting each file's outcome as it is done. */
import { parentPort, workerData } from 'node:worker_threads';
import type { TranscriptFile } from './paths.js';
import { readTranscript, type CacheLocation } from './read-file.js';

const { files, cache } = workerData as { files: TranscriptFile[]; cache: CacheLocation | null };
for (const file of files) parentPort!.postMessage(readTranscript(file, cache));
