// The nightly job example (examples/nightly-job.mjs) against the sandbox: the outcome of a
// first run, a re-run that changes nothing, the command line, and no write lost or
// duplicated when the sandbox drops answers after applying writes. The numbers are the same
// as the Python job's (examples/job/test_nightly.py) and the Rust job's (core/tests/nightly_job.rs).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ROOT, SECRET, WASM_DIR, startSandbox } from './helpers.mjs';
import { formatSummary, makeClient, parseCsv, runJob } from '../examples/nightly-job.mjs';

const DATA = join(ROOT, 'examples', 'job', 'data');
const JOB = join(WASM_DIR, 'examples', 'nightly-job.mjs');
const TODAY = new Date().toISOString().slice(0, 10);

/** `{name: [created, updated, unchanged, failed]}` */
const counts = (report) =>
  Object.fromEntries(report.tallies.map((t) => [t.name, [t.created, t.updated, t.unchanged, t.failed.length]]));

const tally = (report, name) => report.tallies.find((t) => t.name === name);

const postsTo = (writes, suffix) => writes.filter((w) => w.method === 'POST' && w.path.endsWith(suffix));

const client = (url, options = {}) => makeClient({ baseUrl: url, clientId: 'sandbox', clientSecret: SECRET, ...options });

/** Runs the example as a program; resolves `{code, stdout, stderr}`. */
function runCli(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [JOB, ...args], {
      cwd: WASM_DIR,
      env: { ...process.env, DEGREED_CLIENT_ID: '', DEGREED_CLIENT_SECRET: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const tempDirs = [];
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'degreed-nightly-'));
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the nightly job', () => {
  let sb;
  let first;
  let firstLog;
  const out = tempDir();
  before(async () => {
    sb = await startSandbox(['--rate-limit', '0']);
  });
  after(() => sb?.stop());

  test('a first run creates, updates and reports each failure with its reason', async () => {
    const c = client(sb.url);
    first = await runJob(c, DATA, out, TODAY);
    assert.deepEqual(counts(first), {
      users: [10, 1, 1, 1],
      courses: [6, 1, 0, 0],
      completions: [14, 0, 0, 1],
    });
    const users = tally(first, 'users');
    assert.equal(users.failed[0][0], 'E20011');
    assert.match(users.failed[0][1], /organization_email/);
    const completions = tally(first, 'completions');
    assert.equal(completions.failed[0][0], 'E99999');
    assert.match(completions.failed[0][1], /Invalid user identifier/);

    // The export: one completion object a line, every new one among them.
    assert.equal(first.exportPath, join(out, `completions-${TODAY}.jsonl`));
    const lines = readFileSync(first.exportPath, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, first.exported);
    assert.ok(first.exported >= 14, String(first.exported));
    assert.ok(lines.every((l) => l.type === 'completions'));
    // The seed has no E200xx employees: their 12 completions are all the job's.
    assert.equal(lines.filter((l) => l.attributes['employee-id']?.startsWith('E200')).length, 12);

    // What the sandbox applied: 10 users, 6 courses, 14 completions, 2 updates.
    firstLog = await sb.log();
    assert.equal(postsTo(firstLog, '/api/v2/users').length, 10);
    assert.equal(postsTo(firstLog, '/api/v2/content/courses').length, 6);
    const created = postsTo(firstLog, '/api/v2/completions');
    assert.equal(created.length, 14);
    const e10002 = created.find((w) => w.body.data.attributes['user-id'] === 'E10002');
    assert.equal(e10002.body.data.attributes['content-id'], 'COURSE-0001');
    const tenDaysAgo = new Date(Date.parse(`${TODAY}T11:11:00Z`) - 10 * 864e5);
    assert.equal(new Date(e10002.body.data.attributes['completed-at']).getTime(), tenDaysAgo.getTime());
    assert.equal(firstLog.filter((w) => w.method === 'PATCH').length, 2);
    const stats = c.stats;
    assert.deepEqual([stats.tokenRequests, stats.retries], [1, 0]);

    // The summary, in the Python job's format.
    const summary = formatSummary(first, stats, 1234);
    assert.ok(
      summary.startsWith(
        '\nSummary\n                created  updated  unchanged  failed\n' +
          '  users              10        1          1       1\n' +
          '  courses             6        1          0       0\n' +
          '  completions        14        0          0       1\n',
      ),
      summary,
    );
    assert.ok(
      summary.includes(
        `  requests ${stats.requests}, retries 0, 429s 0, token requests 1, elapsed 1.2s\nFailures\n` +
          '  users E20011: new user lacks organization_email\n  completions E99999: ',
      ),
      summary,
    );
  });

  test('a second run, with a new client, changes nothing', async () => {
    assert.ok(first, 'the first run did not complete');
    const again = await runJob(client(sb.url), DATA, out, TODAY);
    assert.deepEqual(counts(again), {
      users: [0, 0, 12, 1],
      courses: [0, 0, 7, 0],
      completions: [0, 0, 14, 1],
    });
    assert.equal((await sb.log()).length, firstLog.length, 'the re-run wrote something');
    assert.equal(again.exported, first.exported);
  });

  test('the command line: flags or environment, a summary, no secret', async () => {
    const dir = tempDir();
    const viaFlags = await runCli([
      '--base-url',
      sb.url,
      '--client-id',
      'sandbox',
      `--client-secret=${SECRET}`,
      '--data',
      DATA,
      '--out',
      dir,
    ]);
    assert.equal(viaFlags.code, 0, viaFlags.stderr);
    assert.ok(
      viaFlags.stdout.startsWith('Minimal scopes for this job: completions:write,content:write,users:write\n'),
      viaFlags.stdout,
    );
    assert.ok(viaFlags.stdout.includes('\n  users               0        0         12       1\n'), viaFlags.stdout);
    assert.match(viaFlags.stdout, new RegExp(`exported \\d+ completions of the last 30 days to .*completions-${TODAY}\\.jsonl`));
    assert.match(viaFlags.stdout, /Failures\n {2}users E20011: new user lacks organization_email\n/);
    assert.match(viaFlags.stderr, /completions: 15\/15/);
    const viaEnv = await runCli(['--base-url', sb.url, '--data', DATA, '--out', dir], {
      DEGREED_CLIENT_ID: 'sandbox',
      DEGREED_CLIENT_SECRET: SECRET,
    });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.ok(viaEnv.stdout.includes('\n  completions         0        0         14       1\n'), viaEnv.stdout);
    for (const run of [viaFlags, viaEnv]) assert.ok(!`${run.stdout}${run.stderr}`.includes(SECRET));

    const noCredentials = await runCli(['--data', DATA, '--out', dir]);
    assert.equal(noCredentials.code, 1);
    assert.match(noCredentials.stderr, /set DEGREED_CLIENT_ID and DEGREED_CLIENT_SECRET/);
    const unknown = await runCli(['--frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /usage: nightly-job\.mjs/);
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--client-secret SECRET/);
  });
});

test('no write is lost or duplicated when answers are dropped after writes', async (t) => {
  const sb = await startSandbox([
    '--rate-limit',
    '0',
    '--faults',
    'after:500=0.15,after:reset=0.1,429=0.1,503=0.05',
    '--seed',
    '7',
  ]);
  t.after(() => sb.stop());
  const out = tempDir();
  const c = client(sb.url, { maxRetries: 8, retry: { baseDelayMs: 5, maxDelayMs: 50 } });
  const report = await runJob(c, DATA, out, TODAY);
  assert.ok(c.stats.retries > 0, 'no fault was injected');

  // Every CSV completion except the unknown employee's is applied exactly once.
  const log = await sb.log();
  const perRow = new Map();
  for (const w of postsTo(log, '/api/v2/completions')) {
    const a = w.body.data.attributes;
    const key = `${a['user-id']} ${a['content-id']}`;
    perRow.set(key, (perRow.get(key) ?? 0) + 1);
  }
  assert.equal(perRow.size, 14, JSON.stringify([...perRow]));
  assert.deepEqual(new Set(perRow.values()), new Set([1]), JSON.stringify([...perRow]));
  const users = postsTo(log, '/api/v2/users');
  assert.equal(users.length, 10);
  assert.equal(new Set(users.map((w) => w.resource_id)).size, 10);
  assert.equal(postsTo(log, '/api/v2/content/courses').length, 6);

  // Only the unknown employee's completion and the user without an e-mail fail; the rows
  // whose answer was lost are counted as done (created, or found unchanged on a look).
  const n = counts(report);
  assert.equal(n.users[3], 1, JSON.stringify(report.tallies));
  assert.equal(n.users[0] + n.users[1] + n.users[2], 12);
  assert.equal(n.courses[3], 0, JSON.stringify(report.tallies));
  assert.equal(n.courses[0] + n.courses[1] + n.courses[2], 7);
  assert.deepEqual(tally(report, 'completions').failed.map(([key]) => key), ['E99999']);
  assert.equal(n.completions[0], 14);

  // And a clean re-run finds everything in place.
  await sb.control('/_sandbox/config', { faults: '' });
  const again = await runJob(client(sb.url), DATA, out, TODAY);
  assert.deepEqual(counts(again), {
    users: [0, 0, 12, 1],
    courses: [0, 0, 7, 0],
    completions: [0, 0, 14, 1],
  });
});

test('the CSV reader handles quotes, blank lines and short rows', () => {
  const rows = parseCsv('\ufeffa,b,c\r\n1,"x, ""y""",3\r\n\r\n"multi\nline", 2 \n4\n');
  assert.deepEqual(rows, [
    { a: '1', b: 'x, "y"', c: '3' },
    { a: 'multi\nline', b: '2', c: '' },
    { a: '4', b: '', c: '' },
  ]);
  assert.throws(() => parseCsv('a\n"open'), /not closed/);
  assert.deepEqual(parseCsv(''), []);
  assert.deepEqual(parseCsv('a,b\n'), []);
});
