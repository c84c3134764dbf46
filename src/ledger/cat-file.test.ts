import { describe, expect, it } from 'vitest';
import { splitBatchAnswers } from './cat-file.js';

const OID = 'a'.repeat(40);
const answer = (content: string) => `${OID} blob ${Buffer.byteLength(content)}\n${content}\n`;
const OUTPUT = Buffer.from([answer('{"a": 1}'), `${'b'.repeat(40)} missing\n`, answer(''), answer('line one\nline two\n'), answer('ünïcödé')].join(''));
const EXPECTED = ['{"a": 1}', undefined, '', 'line one\nline two\n', 'ünïcödé'];

/** Feeds `chunks` to a splitter and returns what it answered. */
function split(chunks: Buffer[]): (string | undefined)[] {
  const answers: (string | undefined)[] = [];
  const push = splitBatchAnswers((content) => answers.push(content));
  for (const chunk of chunks) push(chunk);
  return answers;
}

describe('splitBatchAnswers', () => {
  it('splits one chunk into its answers: contents, empty blobs and missing objects', () => {
    expect(split([OUTPUT])).toEqual(EXPECTED);
  });

  it('gives the same answers wherever the chunks end: in a header, in a content, between answers', () => {
    for (let cut = 1; cut < OUTPUT.length; cut++) {
      expect(split([OUTPUT.subarray(0, cut), OUTPUT.subarray(cut)]), `cut at byte ${cut}`).toEqual(EXPECTED);
    }
    expect(split([...OUTPUT].map((byte) => Buffer.from([byte])))).toEqual(EXPECTED);
  });

  it('gives nothing for an answer whose bytes have not all arrived', () => {
    const whole = Buffer.from(answer('{"complete": true}'));
    expect(split([whole, Buffer.from(`${OID} blob 10\n12345`)])).toEqual(['{"complete": true}']);
  });
});
