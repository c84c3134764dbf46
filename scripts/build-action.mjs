// Bundles the GitHub Action's entry into one committed file, dist/index.mjs (action.yml runs it on
// node24 with no node_modules). Deterministic: no sourcemap, no legal comments, no timestamps, so
// test/action-dist.test.ts can rebuild it and compare bytes to catch a stale dist/.
// Usage: node scripts/build-action.mjs [outfile]   (default dist/index.mjs)
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { nodeBundle } from './bundle-options.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = process.argv[2] ?? 'dist/index.mjs';

await build({
  ...nodeBundle,
  absWorkingDir: root,
  entryPoints: ['src/action/index.ts'],
  outfile,
  minify: true,
  sourcemap: false,
  legalComments: 'none',
});
