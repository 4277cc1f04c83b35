// The nightly-job recipe (examples/nightly-job.mjs) against the sandbox: the sample CSVs and a
// re-run, the command line, and the shared fault scenario (tests/scenarios/faults.json, also
// replayed by the Rust and Python suites): no write lost or duplicated, checked against the
// sandbox's write log.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { Client } from 'degreed';
import { ROOT, SECRET, WASM_DIR, sandboxOptions, startSandbox } from './helpers.mjs';
import { publishCourse, recordCompletion, sync } from '../examples/nightly-job.mjs';

const JOB = join(WASM_DIR, 'examples', 'nightly-job.mjs');
const SCENARIO = JSON.parse(readFileSync(join(ROOT, 'tests', 'scenarios', 'faults.json'), 'utf8'));

/** Runs the recipe as a program; resolves `{code, stdout, stderr}`. */
function runCli(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [JOB, ...args], {
      env: { ...process.env, DEGREED_CLIENT_ID: '', DEGREED_CLIENT_SECRET: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let sb;
before(async () => {
  sb = await startSandbox(['--rate-limit', '0']);
});
after(() => sb?.stop());

test('the sample CSVs, then a re-run that changes nothing', async () => {
  const client = new Client(sandboxOptions(sb.url));
  const first = await sync(client);
  const courses = first.filter(([kind]) => kind === 'course').map(([, , outcome]) => outcome);
  assert.deepEqual(courses, [...Array(6).fill('created'), 'updated']); // COURSE-0001 exists
  // A fresh sandbox knows only the seeded employees (the Python job imports the others).
  const completions = first.filter(([kind]) => kind === 'completion');
  assert.deepEqual(completions.filter(([, , o]) => o === 'recorded').map(([, key]) => key), ['E10001', 'E10002']);
  for (const [, , o] of completions.filter(([, , o]) => o !== 'recorded')) assert.match(o, /Invalid user identifier/);

  const again = await sync(client);
  assert.deepEqual(again.filter(([kind]) => kind === 'course').map(([, , o]) => o), Array(7).fill('unchanged'));
});

test('the command line: flags or environment, no secret printed', async () => {
  const viaFlags = await runCli(['--base-url', sb.url, '--client-id', 'sandbox', `--client-secret=${SECRET}`]);
  assert.equal(viaFlags.code, 0, viaFlags.stderr);
  assert.match(viaFlags.stdout, /^course NIGHTLY-001: unchanged$/m);
  assert.match(viaFlags.stdout, /^completion E99999: failed: .*Invalid user identifier/m);
  assert.match(viaFlags.stdout, /^requests \d+, retries 0, 429s 0$/m);
  const viaEnv = await runCli([], { DEGREED_CLIENT_ID: 'sandbox', DEGREED_CLIENT_SECRET: SECRET, DEGREED_BASE_URL: sb.url });
  assert.equal(viaEnv.code, 0, viaEnv.stderr);
  for (const run of [viaFlags, viaEnv]) assert.ok(!`${run.stdout}${run.stderr}`.includes(SECRET));
  const none = await runCli([]);
  assert.notEqual(none.code, 0);
  assert.match(none.stderr, /DEGREED_CLIENT_ID/);
});

test('no write lost or duplicated under faults (tests/scenarios/faults.json)', async (t) => {
  const own = await startSandbox(['--rate-limit', '0']);
  t.after(() => own.stop());
  const client = new Client(sandboxOptions(own.url));
  for (const step of SCENARIO.steps) {
    await own.control('/_sandbox/config', { write_faults: step.write_faults });
    if (step.course) await publishCourse(client, step.course);
    else await recordCompletion(client, step.completion);
  }
  const log = await own.log();
  assert.equal(log.length, SCENARIO.writes.length, JSON.stringify(log.map((w) => [w.method, w.path])));
  for (const [i, want] of SCENARIO.writes.entries()) {
    const got = log[i];
    assert.deepEqual([got.method, got.resource_type], [want.method, want.resource_type], `write ${i}`);
    for (const [k, v] of Object.entries(want.attributes)) assert.equal(got.body.data.attributes[k], v, `write ${i}: ${k}`);
  }
});

test("the README's JS snippet of the recipe is made of its own lines, in order", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Recipes in Rust and JavaScript'));
  const block = section.split('```js\n')[1].split('```')[0];
  const lines = readFileSync(JOB, 'utf8').split('\n').map((l) => l.trim());
  let at = 0;
  for (const want of block.split('\n').map((l) => l.trim()).filter(Boolean)) {
    at = lines.indexOf(want, at) + 1;
    assert.ok(at > 0, `README line not in the recipe (in order): ${want}`);
  }
});
