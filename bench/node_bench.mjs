#!/usr/bin/env node
// End-to-end benchmark of the npm package against the sandbox, side by side with the loop a
// user writes by hand (fetch + res.json(), links.next followed, items kept in an array).
//
//   node --expose-gc bench/node_bench.mjs [--sandbox target/release/degreed-sandbox]
//        [--users 5000] [--limit 1000] [--runs 5] [--previous bench/figures.json]
//        [--pkg bindings-wasm/pkg] [--before DIR]
//
// --before DIR: another build of the npm package (a copy of an earlier `pkg/`) run as a third
// variant, interleaved with the others: before/after figures from one run.
//
// Run by scripts/bench.sh after `npm run build` in bindings-wasm. A benchmark, not a test: it
// prints figures and checks only that both listed every user. The two variants run in the
// same process, interleaved run by run, so they share the machine's load.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

const { values } = parseArgs({
  options: {
    sandbox: { type: 'string', default: join(root, 'target', 'release', 'degreed-sandbox') },
    users: { type: 'string', default: '5000' },
    limit: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '5' },
    previous: { type: 'string', default: join(here, 'figures.json') },
    pkg: { type: 'string', default: join(root, 'bindings-wasm', 'pkg') },
    before: { type: 'string' },
  },
});
const users = Number(values.users);
const limit = Number(values.limit);
const runs = Number(values.runs);

const { Client } = await import(pathToFileURL(join(values.pkg, 'node.js')).href);
const Before = values.before ? (await import(pathToFileURL(join(values.before, 'node.js')).href)).Client : null;

/** The loop a user writes: token once per listing, links.next followed, no retries. */
async function byHand(base) {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: 'sandbox',
    client_secret: 'sandbox-secret',
    scope: 'users:read',
  });
  const tok = await (await fetch(`${base}/oauth/token`, { method: 'POST', body: form })).json();
  const headers = { authorization: `Bearer ${tok.access_token}`, accept: 'application/json' };
  const out = [];
  let url = `${base}/api/v2/users?limit=${limit}`;
  while (url) {
    const page = await (await fetch(url, { headers })).json();
    for (const item of page.data) out.push(item);
    url = page.links?.next;
  }
  return out;
}

function gc() {
  if (globalThis.gc) globalThis.gc();
}

/** Heap the result of `listing` keeps alive, in bytes (needs --expose-gc). */
async function held(listing) {
  if (!globalThis.gc) return null;
  gc();
  const before = process.memoryUsage().heapUsed;
  const items = await listing();
  gc();
  const after = process.memoryUsage().heapUsed;
  if (items.length !== users) throw new Error(`listed ${items.length} users`);
  return after - before;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mib = (n) => (n === null ? '-' : `${(n / 1048576).toFixed(1)} MiB`);

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [fmt(headers), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}

/** The variants' order in round `r`: reversed every other round, so that neither side always
 *  runs first after the forced collection, or right after the other (as the Python bench
 *  alternates; two runs each way on 2026-12-01 moved no ratio beyond the run-to-run spread). */
function order(r, n) {
  const all = [...Array(n).keys()];
  return r % 2 === 0 ? all : all.reverse();
}

function previous() {
  try {
    return JSON.parse(readFileSync(values.previous, 'utf8')).node ?? null;
  } catch {
    return null;
  }
}

const sandbox = spawn(
  values.sandbox,
  ['--port', '0', '--quiet', '--users', String(users), '--content', '10', '--completions', '10', '--rate-limit', '0'],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
try {
  const base = await new Promise((resolve, reject) => {
    createInterface({ input: sandbox.stdout }).once('line', (l) => resolve(l.trim()));
    sandbox.once('exit', (code) => reject(new Error(`sandbox exited (${code})`)));
  });
  const listing = (Made) => {
    const client = new Made({ clientId: 'sandbox', clientSecret: 'sandbox-secret', baseUrl: base });
    return () => {
      client.clearToken?.(); // every listing fetches its token, as the hand loop does
      return client.users.list({ limit }).toArray();
    };
  };
  const hand = () => byHand(base);
  const variants = [
    ['degreed Client (wasm core, fetch)', listing(Client)],
    ['by hand: fetch + res.json()', hand],
  ];
  if (Before) variants.push(['degreed Client, --before build', listing(Before)]);
  const times = variants.map(() => []);
  for (const [, fn] of variants) {
    const warm = await fn(); // JIT, connections, token
    if (warm.length !== users) throw new Error(`listed ${warm.length} users, expected ${users}`);
  }
  for (let r = 0; r < runs; r++) {
    for (const v of order(r, variants.length)) {
      gc();
      const t = performance.now();
      const items = await variants[v][1]();
      times[v].push(performance.now() - t);
      if (items.length !== users) throw new Error(`listed ${items.length} users, expected ${users}`);
    }
  }
  const heaps = [];
  for (const [, fn] of variants) heaps.push(await held(fn));
  const handMed = median(times[1]);
  const prev = previous();
  const rows = variants.map(([label], v) => {
    const med = median(times[v]);
    const ratio = v !== 1 ? `${(med / handMed).toFixed(2)}x` : '-';
    const before = v === 0 && prev ? `${prev.ratio.toFixed(2)}x (${prev.sdk_ms} ms)` : '-';
    return [
      label,
      `${med.toFixed(0)} ms`,
      `${Math.min(...times[v]).toFixed(0)} ms`,
      Math.round(users / (med / 1000)).toLocaleString('en-US'),
      ratio,
      before,
      mib(heaps[v]),
    ];
  });
  console.log(
    `Node ${process.version}; sandbox with ${users} users, rate limiting off; pages of ${limit}, all ` +
      `items kept in an array.\nMedian of ${runs} runs after one warm-up, the variants interleaved (order reversed every other round).\n`,
  );
  console.log(table(['variant', 'median', 'best', 'items/s', 'vs by hand', 'previous', 'heap held'], rows));
  console.log(
    `\nvs by hand: the SDK's median over the hand loop's. previous: the figures recorded in ` +
      `bench/figures.json${prev ? ` (${prev.date})` : ''}. heap held: V8 heap the array of results ` +
      `keeps alive (after gc).`,
  );
  await withoutNetwork(base);
} finally {
  sandbox.kill('SIGTERM');
}

/**
 * The CPU side alone: the same pages, recorded from the sandbox, served from memory by a
 * `fetch` of our own to the SDK, next to `JSON.parse` of each page's text (what `res.json()`
 * does) with `links.next` followed (and a token fetched, as both do over the network). Interleaved, median of `runs` after a warm-up.
 */
async function withoutNetwork(base) {
  const first = `${base}/api/v2/users?limit=${limit}`;
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'sandbox', client_secret: 'sandbox-secret', scope: 'users:read' });
  const tokenText = await (await fetch(`${base}/oauth/token`, { method: 'POST', body: form })).text();
  const headers = { authorization: `Bearer ${JSON.parse(tokenText).access_token}`, accept: 'application/json' };
  const pages = new Map();
  for (let url = first; url; ) {
    const bytes = new Uint8Array(await (await fetch(url, { headers })).arrayBuffer());
    pages.set(url, bytes);
    url = JSON.parse(new TextDecoder().decode(bytes)).links?.next;
  }
  const json = { 'content-type': 'application/json' };
  const memoryFetch = async (url) => {
    if (url.endsWith('/oauth/token')) return new Response(tokenText, { headers: json });
    const body = pages.get(url);
    if (!body) throw new Error(`no recorded page for ${url}`);
    return new Response(body, { headers: { ...json, 'content-length': String(body.length) } });
  };
  const listing = (Made) => {
    const client = new Made({
      clientId: 'sandbox',
      clientSecret: 'sandbox-secret',
      baseUrl: base,
      tokenUrl: `${base}/oauth/token`,
      fetch: memoryFetch,
    });
    return () => {
      client.clearToken();
      return client.users.list({ limit }).toArray();
    };
  };
  const hand = async () => {
    // The token too, once per listing, as the loop over the network and the SDK do.
    await (await memoryFetch(`${base}/oauth/token`)).json();
    const out = [];
    for (let url = first; url; ) {
      const page = await (await memoryFetch(url)).json();
      for (const item of page.data) out.push(item);
      url = page.links?.next;
    }
    return out;
  };
  const variants = [
    ['degreed Client, in-memory fetch -> models', listing(Client)],
    ['by hand: res.json() each page, links.next', hand],
  ];
  if (Before) variants.push(['degreed Client, --before build', listing(Before)]);
  const times = variants.map(() => []);
  // CPU time of the process (user + system) as well: on a busy machine the wall time of a
  // 40 ms listing is mostly waiting for a core, which the CPU time leaves out.
  const cpu = variants.map(() => []);
  for (const [, fn] of variants) await fn();
  const memoryRuns = runs * 3;
  for (let r = 0; r < memoryRuns; r++) {
    for (const v of order(r, variants.length)) {
      gc();
      const c = process.cpuUsage();
      const t = performance.now();
      const items = await variants[v][1]();
      times[v].push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpu[v].push((used.user + used.system) / 1000);
      if (items.length !== users) throw new Error(`listed ${items.length} users, expected ${users}`);
    }
  }
  const hand0 = median(times[1]);
  const handCpu = median(cpu[1]);
  const mb = [...pages.values()].reduce((n, b) => n + b.length, 0) / 1048576;
  console.log(
    `\nWithout a network: the same ${pages.size} pages (${mb.toFixed(1)} MiB of JSON), recorded from the ` +
      `sandbox and served from memory; median of ${memoryRuns} runs, interleaved. cpu: the process's CPU ` +
      `time (user + system, V8's helper threads included) during the listing.\n`,
  );
  console.log(
    table(
      ['case', 'median', 'best', 'per item', 'vs by hand', 'cpu median', 'cpu vs by hand'],
      variants.map(([label], v) => {
        const med = median(times[v]);
        const c = median(cpu[v]);
        return [
          label,
          `${med.toFixed(1)} ms`,
          `${Math.min(...times[v]).toFixed(1)} ms`,
          `${((med * 1000) / users).toFixed(2)} µs`,
          `${(med / hand0).toFixed(2)}x`,
          `${c.toFixed(1)} ms`,
          `${(c / handCpu).toFixed(2)}x`,
        ];
      }),
    ),
  );

  // The same, 5 listings back to back with no forced collection before them: a listing that
  // starts right after `gc()` has the whole young generation to itself, so whether a scavenge
  // (which copies every item still alive) falls inside it turns on a few hundred KB more or
  // less; over 5 listings each variant pays the collector in proportion to what it allocates.
  const streak = 5;
  const streakCpu = variants.map(() => []);
  for (let r = 0; r < runs; r++) {
    for (const v of order(r, variants.length)) {
      const c = process.cpuUsage();
      for (let i = 0; i < streak; i++) {
        const items = await variants[v][1]();
        if (items.length !== users) throw new Error(`listed ${items.length} users, expected ${users}`);
      }
      const used = process.cpuUsage(c);
      streakCpu[v].push((used.user + used.system) / 1000 / streak);
    }
  }
  const handStreak = median(streakCpu[1]);
  console.log(
    `
${streak} listings back to back, no forced GC (CPU time per listing, median of ${runs} streaks, interleaved):`,
  );
  console.log(
    table(
      ['case', 'cpu per listing', 'cpu vs by hand'],
      variants.map(([label], v) => {
        const c = median(streakCpu[v]);
        return [label, `${c.toFixed(1)} ms`, `${(c / handStreak).toFixed(2)}x`];
      }),
    ),
  );
}
