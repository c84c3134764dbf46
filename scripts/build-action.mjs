// Bundles the GitHub Action's entry into one committed file, dist/index.mjs (action.yml runs it on
// node24 with no node_modules). Deterministic: no sourcemap, no legal comments, no timestamps, so
// test/action-dist.test.ts can rebuild it and compare bytes to catch a stale dist/.
// Usage: node scripts/build-action.mjs [outfile]   (default dist/index.mjs)
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { nodeBundle } from './bundle-options.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = process.argv[2] ?? 'dist/index.mjs';

/**
 * Eleventy finds its own package.json on disk at start-up (`getEleventyPackageJson`); inside a
 * single-file bundle there is none, so the JSON is imported statically instead.
 */
const eleventyInOneFile = {
  name: 'eleventy-in-one-file',
  setup(bundle) {
    bundle.onLoad({ filter: /@11ty[\\/]eleventy[\\/]src[\\/]Util[\\/]ImportJsonSync\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const patched = source.replace(/function getEleventyPackageJson\(\) \{[\s\S]*?\n\}/, 'import eleventyPackage from "../../package.json" with { type: "json" };\nfunction getEleventyPackageJson() {\n\treturn eleventyPackage;\n}');
      if (patched === source) throw new Error(`${args.path}: getEleventyPackageJson not found; check the plugin against this Eleventy version`);
      return { contents: patched, loader: 'js' };
    });
  },
};

await build({
  ...nodeBundle,
  absWorkingDir: root,
  entryPoints: ['src/action/index.ts'],
  outfile,
  plugins: [eleventyInOneFile],
  // Chart workers run this same file (src/site/render.ts; the entry does nothing off the main thread).
  define: { 'process.env.TOKENLEDGER_BUNDLE': '"single-file"' },
  // The dev server is for `eleventy --serve`; better-sqlite3 (OpenCode) is never read by the Action.
  external: ['@11ty/eleventy-dev-server', 'better-sqlite3'],
  minify: true,
  // Eleventy checks constructor names (`config.constructor.name === "TemplateConfig"`).
  keepNames: true,
  sourcemap: false,
  legalComments: 'none',
});
