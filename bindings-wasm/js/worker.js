// Entry for Cloudflare Workers (workerd) and other worker runtimes whose bundler imports a
// `.wasm` file as a compiled WebAssembly.Module (wrangler does so by default). The module is
// instantiated synchronously: no top-level await and no fetch at import time, which workers
// forbid outside a request and where `new URL(..., import.meta.url)` points nowhere useful.
import wasm from './degreed_wasm_bg.wasm';
import { initSync } from './degreed_wasm.js';

initSync({ module: wasm });

export * from './client.js';
