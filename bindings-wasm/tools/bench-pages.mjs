#!/usr/bin/env node
// Times listing every user of a sandbox: the whole walk, and the part spent in the wasm's
// `NativePager.page` (turning a finished page call into models).
//
//   node tools/bench-pages.mjs [--users 5000] [--limit 1000] [--runs 5]
//
// Needs `npm run build` and `cargo build --release -p degreed-sandbox`. Prints the median
// (and min/max) of the runs, in milliseconds.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const pkg = join(here, '..', 'pkg');

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '5000' },
    limit: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '5' },
  },
});
const users = Number(values.users);
const limit = Number(values.limit);
const runs = Number(values.runs);

// The same module instance the client uses (pkg/client.js imports ./degreed_wasm.js).
const { Client } = await import(pathToFileURL(join(pkg, 'node.js')).href);
const { NativePager } = await import(pathToFileURL(join(pkg, 'degreed_wasm.js')).href);
let pageMs = 0;
const page = NativePager.prototype.page;
NativePager.prototype.page = function (call) {
  const t = performance.now();
  try {
    return page.call(this, call);
  } finally {
    pageMs += performance.now() - t;
  }
};

const sandbox = spawn(
  join(root, 'target', 'release', 'degreed-sandbox'),
  ['--port', '0', '--quiet', '--users', String(users), '--rate-limit', '0'],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
try {
  const url = await new Promise((resolve, reject) => {
    createInterface({ input: sandbox.stdout }).once('line', (l) => resolve(l.trim()));
    sandbox.once('exit', (code) => reject(new Error(`sandbox exited (${code})`)));
  });
  const client = new Client({ clientId: 'sandbox', clientSecret: 'sandbox-secret', baseUrl: url, tokenUrl: url });
  const list = () => client.users.list({ limit }).toArray();
  const warm = await list(); // token, JIT
  if (warm.length !== users) throw new Error(`listed ${warm.length} users, expected ${users}`);
  const total = [];
  const inPage = [];
  for (let i = 0; i < runs; i++) {
    pageMs = 0;
    const t = performance.now();
    const got = await list();
    total.push(performance.now() - t);
    inPage.push(pageMs);
    if (got.length !== users) throw new Error(`listed ${got.length} users, expected ${users}`);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const show = (xs) =>
    `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;
  console.log(`${users} users, limit ${limit}, ${runs} runs`);
  console.log(`  whole walk:        ${show(total)}`);
  console.log(`  NativePager.page:  ${show(inPage)}`);
} finally {
  sandbox.kill('SIGTERM');
}
