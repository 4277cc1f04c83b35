// The package in a real browser: headless Debian Chromium (driven by playwright-core) loads a
// page from a static server on one loopback port; the page imports `degreed` (resolved from
// the package's `exports` "browser" condition through an import map) and runs a
// create/list/paginate flow against the sandbox on another loopback port (CORS).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { PKG, SECRET, startSandbox } from './helpers.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
};

const manifest = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8'));
const browserEntry = manifest.exports['.'].browser;

const PAGE = (sandbox) => `<!doctype html>
<meta charset="utf-8">
<title>degreed browser test</title>
<script type="importmap">${JSON.stringify({ imports: { degreed: `/pkg/${browserEntry.replace(/^\.\//, '')}` } })}</script>
<pre id="result"></pre>
<script type="module">
import { Client, NotFoundError, RateLimitError, DegreedError, minimalScopes } from 'degreed';
const out = document.getElementById('result');
const sandbox = ${JSON.stringify(sandbox)};
try {
  const client = new Client({ clientId: 'sandbox', clientSecret: ${JSON.stringify(SECRET)}, baseUrl: sandbox, tokenUrl: sandbox });
  const created = await client.users.create({
    employeeId: 'WEB-1', firstName: 'Grace', lastName: 'Hopper', organizationEmail: 'grace.hopper@example.com',
  });
  const pageSizes = [];
  const ids = [];
  for await (const page of client.users.list({ limit: 4 }).pages()) {
    pageSizes.push(page.items.length);
    for (const u of page.items) ids.push(u.id);
  }
  let notFound = null;
  try { await client.users.get('nobody-here'); } catch (e) {
    notFound = { name: e.name, isClass: e instanceof NotFoundError && e instanceof DegreedError && e instanceof Error,
                 status: e.status, requestId: e.requestId };
  }
  // Retry-After must be readable cross-origin (Access-Control-Expose-Headers).
  await fetch(sandbox + '/_sandbox/config', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"faults":"429=1"}' });
  let limited = null;
  try {
    await new Client({ clientId: 'sandbox', clientSecret: ${JSON.stringify(SECRET)}, baseUrl: sandbox, tokenUrl: sandbox, maxRetries: 0 })
      .users.list({ limit: 1 }).toArray();
  } catch (e) { limited = { isClass: e instanceof RateLimitError, retryAfter: e.retryAfter }; }
  await fetch(sandbox + '/_sandbox/config', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"faults":""}' });
  const controller = new AbortController();
  controller.abort();
  const aborted = await client.users.get('x', { signal: controller.signal }).catch((e) => e.name);
  out.textContent = JSON.stringify({
    ok: true,
    createdId: created.id,
    createdAtIsDate: created.createdAt instanceof Date,
    rawHidden: !Object.keys(created).includes('raw') && created.raw.id === created.id,
    pageSizes,
    count: ids.length,
    unique: new Set(ids).size,
    includesCreated: ids.includes(created.id),
    notFound,
    limited,
    aborted,
    stats: client.stats,
    scopes: minimalScopes(['users.list', 'completions.create']),
    json: JSON.stringify(client),
  });
} catch (e) {
  out.textContent = JSON.stringify({ ok: false, name: e?.name, message: String(e?.message ?? e), stack: e?.stack });
}
</script>`;

let sb;
let server;
let origin;
before(async () => {
  sb = await startSandbox(['--users', '10', '--rate-limit', '0']);
  server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      return res.end(PAGE(sb.url));
    }
    if (url.pathname.startsWith('/pkg/')) {
      const file = normalize(join(PKG, url.pathname.slice(5)));
      if (file.startsWith(PKG) && existsSync(file)) {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        return res.end(readFileSync(file));
      }
    }
    res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${server.address().port}`;
});
after(async () => {
  await new Promise((r) => (server ? server.close(r) : r()));
  await sb?.stop();
});

test('headless Chromium: import, create, list every page, errors', { timeout: 120_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    assert.fail(`${CHROMIUM} not found: run scripts/setup.sh (or set CHROMIUM_PATH)`);
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  t.after(() => browser.close());
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => document.getElementById('result')?.textContent !== '', null, {
    timeout: 60_000,
  });
  const result = JSON.parse(await page.textContent('#result'));
  assert.ok(result.ok, `${result.name}: ${result.message}\n${result.stack}`);
  assert.equal(result.count, 11, 'ten seeded users and the new one');
  assert.deepEqual(result.pageSizes, [4, 4, 3]);
  assert.equal(result.unique, 11);
  assert.ok(result.includesCreated);
  assert.ok(result.createdAtIsDate);
  assert.ok(result.rawHidden);
  assert.deepEqual(result.notFound?.name, 'NotFoundError');
  assert.ok(result.notFound.isClass);
  assert.equal(result.notFound.status, 404);
  assert.equal(typeof result.notFound.requestId, 'string', 'X-Request-Id readable cross-origin');
  assert.deepEqual(result.limited, { isClass: true, retryAfter: 1 });
  assert.equal(result.aborted, 'AbortError');
  assert.equal(result.stats.tokenRequests, 1);
  assert.deepEqual(result.scopes, ['completions:write', 'users:read']);
  assert.ok(!result.json.includes(SECRET));
  // The console shows the 404/429 fetches as network errors; nothing else may appear.
  const unexpected = problems.filter((p) => !/Failed to load resource: the server responded with a status of (404|429)/.test(p));
  assert.deepEqual(unexpected, []);
  // The write reached the sandbox exactly once.
  const writes = (await sb.log()).filter((w) => w.method === 'POST' && w.path === '/api/v2/users');
  assert.equal(writes.length, 1);
});
