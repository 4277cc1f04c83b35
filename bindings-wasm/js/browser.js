// Entry for browsers and bundlers: the wasm file is fetched next to this module
// (`new URL(..., import.meta.url)` is the pattern bundlers recognise to emit the asset) and
// compiled while it streams in; serve it as `application/wasm`.
import init from './degreed_wasm.js';

await init({ module_or_path: new URL('./degreed_wasm_bg.wasm', import.meta.url) });

export * from './client.js';
