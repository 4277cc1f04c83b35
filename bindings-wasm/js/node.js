// Entry for Node (and Bun, Deno's npm support): the wasm bytes are read from disk and
// instantiated synchronously, so importing this module needs no top-level await (and
// `require('degreed')` works where Node supports require(esm)).
import { readFileSync } from 'node:fs';
import { initSync } from './degreed_wasm.js';

initSync({ module: readFileSync(new URL('./degreed_wasm_bg.wasm', import.meta.url)) });

export * from './client.js';
