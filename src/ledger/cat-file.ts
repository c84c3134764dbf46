/**
 * The answers of `git cat-file --batch`, split out of its stdout as it arrives, so each blob can be
 * worked on while git produces the next. For internal use by `read.ts`.
 */

const EMPTY = Buffer.alloc(0);

/**
 * A consumer of stdout chunks that calls `onAnswer` once per answer, in order: the blob's content
 * as UTF-8 text, or undefined for `<oid> missing`. Chunks end anywhere; an answer that lies within
 * one chunk is decoded straight from it, the others are first gathered into a buffer of their size.
 */
export function splitBatchAnswers(onAnswer: (content: string | undefined) => void): (chunk: Buffer) => void {
  /** The start of a header line that the previous chunk cut off. */
  let header = EMPTY;
  /** An answer's content and its closing newline, being filled from several chunks. */
  let body: Buffer | undefined;
  let filled = 0;
  return (chunk) => {
    let at = 0;
    while (at < chunk.length) {
      if (body) {
        const copied = chunk.copy(body, filled, at);
        filled += copied;
        at += copied;
        if (filled < body.length) return;
        onAnswer(body.toString('utf8', 0, body.length - 1));
        body = undefined;
        continue;
      }
      // Each answer is `<oid> <type> <size>\n<bytes>\n`, or `<oid> missing\n`.
      const headerEnd = chunk.indexOf(0x0a, at);
      if (headerEnd < 0) {
        header = Buffer.concat([header, chunk.subarray(at)]);
        return;
      }
      const line = header.length === 0 ? chunk.toString('latin1', at, headerEnd) : Buffer.concat([header, chunk.subarray(at, headerEnd)]).toString('latin1');
      header = EMPTY;
      at = headerEnd + 1;
      const [, type, size] = line.split(' ');
      if (type === 'missing' || size === undefined) {
        onAnswer(undefined);
        continue;
      }
      const length = Number(size) + 1;
      if (chunk.length - at >= length) {
        onAnswer(chunk.toString('utf8', at, at + length - 1));
        at += length;
      } else {
        body = Buffer.allocUnsafe(length);
        filled = 0;
      }
    }
  };
}
