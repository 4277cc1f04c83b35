// Test helpers: the sandbox binary over real HTTP on loopback, and small utilities.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const WASM_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = join(WASM_DIR, '..');
export const PKG = join(WASM_DIR, 'pkg');
const SANDBOX = join(ROOT, 'target', 'release', 'degreed-sandbox');

export const SECRET = 'sandbox-secret';

if (!existsSync(join(PKG, 'degreed_wasm_bg.wasm'))) {
  throw new Error('bindings-wasm/pkg is not built: run `npm run build` first');
}

let built = false;
/** `cargo build --release -p degreed-sandbox`, once per test process. */
export function buildSandbox() {
  if (built) return;
  const r = spawnSync('cargo', ['build', '--release', '-q', '-p', 'degreed-sandbox'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`cargo build -p degreed-sandbox failed (${r.status})`);
  built = true;
}

/**
 * Starts `degreed-sandbox --port 0 --quiet ...args`; resolves once it printed its base URL.
 * Returns `{url, stop, log, control, stats}`.
 */
export async function startSandbox(args = []) {
  buildSandbox();
  const child = spawn(SANDBOX, ['--port', '0', '--quiet', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const url = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`sandbox did not start: ${stderr}`)), 20_000);
    rl.once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited (${code}): ${stderr}`));
    });
  });
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new Error(`unexpected first line: ${url}`);
  const control = async (path, body) => {
    const res = await fetch(`${url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
    const text = await res.text();
    return text ? JSON.parse(text) : null;
  };
  return {
    url,
    control,
    log: async () => (await control('/_sandbox/log')).writes,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Options for a client of the sandbox's default key. */
export function sandboxOptions(url, extra = {}) {
  return { clientId: 'sandbox', clientSecret: SECRET, baseUrl: url, tokenUrl: url, ...extra };
}

/** A `fetch` that counts its calls and records what it sent. */
export function countingFetch(inner = globalThis.fetch) {
  const calls = [];
  const f = (url, init) => {
    calls.push({ url, method: init?.method });
    return inner(url, init);
  };
  f.calls = calls;
  return f;
}

/** Today's date, yyyy-mm-dd (UTC). */
export const today = () => new Date().toISOString().slice(0, 10);
