#!/usr/bin/env node
// Main-thread blocking in Chromium while listing: headless Debian Chromium loads a page that
// imports the npm package and lists every user of the sandbox in pages of 1000, recording
// every long task (PerformanceObserver 'longtask': main-thread tasks over 50 ms) and the
// synchronous time the client spends on each page (from a page's arrival to its items).
// The same for `fetch` + `res.json()` by hand. A benchmark: it prints, it asserts nothing.
//
//   node bench/browser_longtask.mjs [--sandbox target/release/degreed-sandbox] [--users 5000]
//
// Needs `npm run build` in bindings-wasm and Chromium (scripts/setup.sh).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const pkg = join(root, 'bindings-wasm', 'pkg');
const { values } = parseArgs({
  options: {
    sandbox: { type: 'string', default: join(root, 'target', 'release', 'degreed-sandbox') },
    users: { type: 'string', default: '5000' },
    limit: { type: 'string', default: '1000' },
  },
});
const { chromium } = createRequire(join(root, 'bindings-wasm', 'package.json'))('playwright-core');
const entry = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).exports['.'].browser;

const PAGE = (sandbox, limit) => `<!doctype html><meta charset="utf-8"><pre id="out"></pre>
<script type="importmap">${JSON.stringify({ imports: { degreed: `/pkg/${entry.replace(/^\.\//, '')}` } })}</script>
<script type="module">
import { Client } from 'degreed';
const tasks = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) tasks.push(e.duration); })
  .observe({ type: 'longtask', buffered: true });
const settle = () => new Promise((r) => setTimeout(r, 100));
async function sdk() {
  const client = new Client({ clientId: 'sandbox', clientSecret: 'sandbox-secret', baseUrl: ${JSON.stringify(sandbox)}, tokenUrl: ${JSON.stringify(sandbox)} });
  let n = 0;
  for await (const page of client.users.list({ limit: ${limit} }).pages()) n += page.items.length;
  return n;
}
async function hand() {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'sandbox', client_secret: 'sandbox-secret', scope: 'users:read' });
  const tok = await (await fetch(${JSON.stringify(sandbox)} + '/oauth/token', { method: 'POST', body: form })).json();
  const headers = { authorization: 'Bearer ' + tok.access_token, accept: 'application/json' };
  let n = 0;
  for (let url = ${JSON.stringify(sandbox)} + '/api/v2/users?limit=${limit}'; url; ) {
    const p = await (await fetch(url, { headers })).json();
    n += p.data.length;
    url = p.links?.next;
  }
  return n;
}
// The observer itself: an 80 ms busy task must show as one long task.
await settle();
{ const t = performance.now(); while (performance.now() - t < 80); }
await settle();
const result = { calibration: [...tasks] };
for (const [name, fn] of [['warm-up', sdk], ['warm-up hand', hand], ['sdk', sdk], ['hand', hand], ['sdk', sdk], ['hand', hand]]) {
  await settle();
  tasks.length = 0;
  const t = performance.now();
  const n = await fn();
  const ms = performance.now() - t;
  await settle();
  (result[name] ??= []).push({ n, ms, tasks: [...tasks] });
}
document.getElementById('out').textContent = JSON.stringify(result);
</script>`;

const sandbox = spawn(values.sandbox, ['--port', '0', '--quiet', '--users', values.users, '--rate-limit', '0'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE(base, values.limit));
  const file = normalize(join(pkg, url.pathname.slice(5)));
  if (url.pathname.startsWith('/pkg/') && file.startsWith(pkg) && existsSync(file)) {
    const type = { '.js': 'text/javascript', '.wasm': 'application/wasm' }[extname(file)] ?? 'application/octet-stream';
    return res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
  }
  res.writeHead(404).end();
});
let base;
let browser;
try {
  base = await new Promise((resolve, reject) => {
    createInterface({ input: sandbox.stdout }).once('line', (l) => resolve(l.trim()));
    sandbox.once('exit', (code) => reject(new Error(`sandbox exited (${code})`)));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => document.getElementById('out')?.textContent !== '', null, { timeout: 120_000 });
  const result = JSON.parse(await page.textContent('#out'));
  const pages = Math.ceil(Number(values.users) / Number(values.limit));
  const cal = result.calibration;
  if (!cal.some((d) => d >= 80)) throw new Error(`the long-task observer missed an 80 ms task (${cal})`);
  console.log(`Chromium (headless), ${values.users} users in pages of ${values.limit}; main-thread tasks over 50 ms ` +
    `(PerformanceObserver 'longtask'), two listings each after a warm-up.\n`);
  console.log('variant                       listing   long tasks   longest   long-task time per page');
  for (const [name, label] of [['sdk', 'degreed Client (wasm core)'], ['hand', 'by hand: fetch + res.json()']]) {
    for (const r of result[name]) {
      const longest = r.tasks.length ? Math.max(...r.tasks) : 0;
      const sum = r.tasks.reduce((a, b) => a + b, 0);
      console.log(`${label.padEnd(28)} ${`${r.ms.toFixed(0)} ms`.padStart(8)} ${String(r.tasks.length).padStart(12)} ` +
        `${`${longest.toFixed(0)} ms`.padStart(9)}   ${`${(sum / pages).toFixed(1)} ms`.padStart(10)}`);
      if (r.n !== Number(values.users)) throw new Error(`${name} listed ${r.n} users`);
    }
  }
  console.log('\nGoal (issue 11): no main-thread task longer than 50 ms per 1000-item page.');
} finally {
  await browser?.close();
  server.close();
  sandbox.kill('SIGTERM');
}
