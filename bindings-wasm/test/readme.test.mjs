// The JavaScript quickstart of the top-level README.md is a runnable snippet kept in sync by
// this test: the ```js block under "### JavaScript" is run with node, as written, against a
// fresh sandbox. Only the connection is swapped: the Degreed hosts for the sandbox's URL, and
// the `clientId, clientSecret` placeholders for the sandbox's key. If the README no longer
// holds the text this test substitutes, the test fails and says what to update.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { Client } from 'degreed';
import { ROOT, SECRET, WASM_DIR, sandboxOptions, startSandbox } from './helpers.mjs';

const README = join(ROOT, 'README.md');

/** The body of the first ```<lang> block in the section whose heading starts with `heading`. */
function snippetOf(markdown, heading, lang) {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  assert.notEqual(start, -1, `README.md has no heading starting with "${heading}"`);
  const level = /^#+/.exec(heading)[0].length;
  let open = -1;
  for (let i = start + 1; i < lines.length; i++) {
    const h = /^(#+)\s/.exec(lines[i]);
    if (open === -1 && h && h[1].length <= level) break; // the next section
    if (open === -1 && lines[i].trim() === `\`\`\`${lang}`) open = i;
    else if (open !== -1 && lines[i].trim() === '```') return lines.slice(open + 1, i).join('\n');
  }
  assert.fail(`README.md: no \`\`\`${lang} block under "${heading}"`);
}

/** Replaces `from` (which must occur exactly once) with `to`. */
function substitute(code, from, to) {
  const parts = code.split(from);
  assert.equal(
    parts.length,
    2,
    `the README snippet must contain \`${from}\` exactly once (found ${parts.length - 1}); ` +
      'update the README or bindings-wasm/test/readme.test.mjs',
  );
  return parts.join(to);
}

/** Runs `node file`; resolves `{code, signal, stdout, stderr}`. */
function runNode(file, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd: WASM_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

let sb;
// Inside bindings-wasm, so that `import 'degreed'` resolves to node_modules/degreed (pkg/).
const dir = mkdtempSync(join(WASM_DIR, '.readme-snippet-'));
before(async () => {
  sb = await startSandbox(['--rate-limit', '0']);
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await sb?.stop();
});

test('the README JavaScript quickstart runs against the sandbox', async () => {
  const snippet = snippetOf(readFileSync(README, 'utf8'), '### JavaScript', 'js');
  assert.match(snippet, /from 'degreed'/);
  let code = substitute(
    snippet,
    "environment: 'production', dataCenter: 'us'",
    `baseUrl: '${sb.url}', tokenUrl: '${sb.url}/oauth/token'`,
  );
  assert.match(code, /\bclientId, clientSecret\b/, 'the snippet no longer uses the `clientId, clientSecret` placeholders');
  code = `const clientId = 'sandbox', clientSecret = '${SECRET}';\n${code}\n`;
  const file = join(dir, 'quickstart.mjs');
  writeFileSync(file, code);

  // The users the sandbox holds before the snippet runs: each must be printed.
  const seeded = await new Client(sandboxOptions(sb.url)).users.list({ limit: 1000 }).toArray();
  assert.ok(seeded.length > 0);

  const run = await runNode(file, 60_000);
  assert.equal(run.code, 0, `the snippet failed (exit ${run.code ?? run.signal}):\n${run.stderr}\n--- snippet ---\n${snippet}`);
  const lines = new Set(run.stdout.split('\n'));
  for (const user of seeded) {
    assert.ok(lines.has(`${user.id} ${user.employeeId}`), `user ${user.id} ${user.employeeId} not printed:\n${run.stdout}`);
  }
  assert.ok(!`${run.stdout}${run.stderr}`.includes(SECRET));

  // The completion the snippet records was applied, once.
  const completions = (await sb.log()).filter((w) => w.method === 'POST' && w.path === '/api/v2/completions');
  assert.equal(completions.length, 1, JSON.stringify(completions));
  assert.equal(completions[0].resource_type, 'completions');
});

test('the snippet extraction fails loudly when the README changes', () => {
  const md = '# x\n### JavaScript (Node)\n\ntext\n\n```js\nconst a = 1;\n```\n### Rust\n```js\nno\n```\n';
  assert.equal(snippetOf(md, '### JavaScript', 'js'), 'const a = 1;');
  assert.throws(() => snippetOf(md, '### Python', 'python'), /no heading/);
  assert.throws(() => snippetOf('### JavaScript\n### Rust\n```js\nx\n```\n', '### JavaScript', 'js'), /no ```js block/);
  assert.throws(() => substitute('a b', 'c', 'd'), /exactly once \(found 0\)/);
  assert.throws(() => substitute('c c', 'c', 'd'), /exactly once \(found 2\)/);
});
