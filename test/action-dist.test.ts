/**
 * dist/index.mjs is what action.yml runs, and it is committed: GitHub runs the file in the
 * repository, not a build of the sources. Rebuilding it must give the same bytes, so a change to
 * src/ without `npm run build:action` fails CI instead of shipping the old bundle.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from './helpers/git-repos.js';
import { ROOT, run } from './helpers/hook.js';

describe('the committed Action bundle', () => {
  it('is byte-identical to a fresh build of src/action (dist/ is not stale)', { timeout: 60_000 }, async () => {
    const fresh = path.join(await makeTempDir('tl-dist-'), 'index.mjs');
    const build = await run(process.execPath, [path.join(ROOT, 'scripts/build-action.mjs'), fresh], { cwd: ROOT, env: process.env });
    expect(build.code, build.stderr).toBe(0);
    const committed = await readFile(path.join(ROOT, 'dist/index.mjs'));
    // Compared as buffers, but reported briefly: a 900 KB diff helps nobody.
    expect(committed.equals(await readFile(fresh)), 'dist/index.mjs is stale: run `npm run build:action` and commit dist/').toBe(true);
  });

  it('starts on its own, with no node_modules, and reports a bad input as a failed step', { timeout: 30_000 }, async () => {
    const dir = await makeTempDir('tl-dist-run-');
    const started = await run(process.execPath, [path.join(ROOT, 'dist/index.mjs')], {
      cwd: dir,
      env: { PATH: process.env.PATH, INPUT_COMMAND: 'merge', GITHUB_REPOSITORY: 'acme/app', RUNNER_TEMP: dir },
    });
    expect(started.code).toBe(1);
    expect(started.stdout).toContain('::error::input "partials": no partial file listed');
    expect(started.stderr).not.toMatch(/Dynamic require|ERR_MODULE_NOT_FOUND/);
  });
});
