#!/usr/bin/env node
// `npm run build`: compile the wasm (../scripts/build-wasm.sh --target web), then lay out the
// npm package `degreed` in pkg/: the wasm-bindgen glue, the hand-written JS and .d.ts from js/,
// the README and a package.json whose version is the crate's. Finally links
// node_modules/degreed -> ../pkg so the tests import the package by its name.
//
//   node tools/build.mjs            full build (size-optimised cargo profile, wasm-opt)
//   node tools/build.mjs --js-only  refresh the JS/.d.ts/package.json in pkg/ only
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const dir = join(here, '..');
const root = join(dir, '..');
const pkg = join(dir, 'pkg');
const jsOnly = process.argv.includes('--js-only');

const started = Date.now();

if (!jsOnly) {
  // The size-tuned `wasm` profile (workspace Cargo.toml) is chosen by scripts/build-wasm.sh.
  const env = { ...process.env };
  rmSync(pkg, { recursive: true, force: true });
  const r = spawnSync('bash', [join(root, 'scripts', 'build-wasm.sh'), '--target', 'web'], {
    stdio: 'inherit',
    env: { ...env, OUT_DIR: pkg },
  });
  if (r.status !== 0) {
    console.error(`build: scripts/build-wasm.sh failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

if (!existsSync(join(pkg, 'degreed_wasm_bg.wasm'))) {
  console.error('build: pkg/degreed_wasm_bg.wasm is missing; run `npm run build` without --js-only');
  process.exit(1);
}

// The generated typings describe the private glue; the package ships its own index.d.ts.
for (const f of ['degreed_wasm.d.ts', 'degreed_wasm_bg.wasm.d.ts', '.gitignore', 'package.json']) {
  rmSync(join(pkg, f), { force: true });
}
for (const f of readdirSync(join(dir, 'js'))) {
  if (f.endsWith('.js') || f.endsWith('.d.ts')) copyFileSync(join(dir, 'js', f), join(pkg, f));
}
if (existsSync(join(dir, 'README.md'))) copyFileSync(join(dir, 'README.md'), join(pkg, 'README.md'));
for (const f of ['LICENSE-MIT', 'LICENSE-APACHE']) copyFileSync(join(root, f), join(pkg, f));

// The version lives once, in the workspace manifest's [workspace.package].
const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const version = /^\[workspace\.package\][^[]*?^version\s*=\s*"([^"]+)"/ms.exec(cargo)?.[1];
if (!version) throw new Error('no version in [workspace.package] of Cargo.toml');
const manifest = JSON.parse(readFileSync(join(dir, 'js', 'package.pkg.json'), 'utf8'));
manifest.version = version;
writeFileSync(join(pkg, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
for (const f of manifest.files) {
  if (!existsSync(join(pkg, f))) throw new Error(`pkg/${f} is listed in "files" but missing`);
}

// node_modules/degreed -> ../pkg, so `import ... from 'degreed'` resolves like an install.
const link = join(dir, 'node_modules', 'degreed');
mkdirSync(dirname(link), { recursive: true });
let linked = false;
try {
  linked = lstatSync(link).isSymbolicLink();
  if (!linked) rmSync(link, { recursive: true, force: true });
} catch {}
if (!linked) symlinkSync(relative(dirname(link), pkg), link, 'dir');

const size = (f) => {
  const b = readFileSync(join(pkg, f));
  return `${f.padEnd(22)} ${String(b.length).padStart(8)} B  ${String(gzipSync(b, { level: 9 }).length).padStart(7)} B gzip`;
};
console.log(`build: pkg/ ready (degreed ${version}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
for (const f of ['degreed_wasm_bg.wasm', 'degreed_wasm.js', 'client.js', 'errors.js', 'node.js', 'browser.js']) {
  console.log(`  ${size(f)}`);
}
