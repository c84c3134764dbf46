/** Worker-thread entry of the CLI build (scripts/build.mjs): render.ts serves charts when loaded in a worker. */
import './render.js';
