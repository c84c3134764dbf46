// Bundles the CLI into build/ with esbuild: one start-up file plus lazily loaded chunks per
// command, so `tokenledger` starts fast (bundled zod and commander load in milliseconds).
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

await rm(new URL('../build', import.meta.url), { recursive: true, force: true });
await build({
  // The transcript worker lives beside the chunks, where parallel.ts looks for it.
  entryPoints: { cli: 'src/cli/index.ts', 'chunks/claude-code-worker': 'src/sources/claude-code/worker.ts' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'build',
  chunkNames: 'chunks/[name]-[hash]',
  minifySyntax: true,
  sourcemap: true,
  logLevel: 'warning',
  // CommonJS dependencies inside an ESM bundle still call require().
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
