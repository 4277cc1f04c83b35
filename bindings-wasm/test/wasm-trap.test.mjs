import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, DegreedError } from 'degreed';
import { NativeCall, initSync } from '../pkg/degreed_wasm.js';
import { sandboxOptions, startSandbox } from './helpers.mjs';

// A wasm trap (a Rust panic aborts: `unreachable`) inside a step leaves the call and the
// client's session borrowed for good: the `free()` in the driver's `finally` throws, and every
// later call would trap on the session. The caller must see the SDK's own error, and the client
// must rebuild its session and keep working.
let sb;
before(async () => {
  sb = await startSandbox(['--rate-limit', '0']);
});
after(() => sb?.stop());

/** Makes the next `poll` trap for real, inside wasm, with the call and its session borrowed. */
function trapNextPoll() {
  const { poll } = NativeCall.prototype;
  const trap = { count: 0 };
  NativeCall.prototype.poll = function () {
    NativeCall.prototype.poll = poll;
    trap.count++;
    this.__trapForTests();
    throw new Error('unreachable: the hook returned instead of trapping');
  };
  trap.restore = () => {
    NativeCall.prototype.poll = poll;
  };
  return trap;
}

test('a real wasm trap surfaces as a DegreedError and the client rebuilds its session', async () => {
  const client = new Client(sandboxOptions(sb.url));
  const [first] = await client.users.list({ limit: 1 }).toArray();
  const stack = initSync().__stack_pointer;
  const top = stack.value;

  for (const run of [() => client.users.get(first.id), () => client.users.list({ limit: 1 }).toArray()]) {
    const trap = trapNextPoll();
    const err = await run().catch((e) => e).finally(trap.restore);
    assert.equal(trap.count, 1);
    assert.ok(err instanceof DegreedError, String(err));
    assert.match(err.message, /internal error in the degreed wasm module/);
    assert.ok(err.cause instanceof WebAssembly.RuntimeError, String(err.cause));
    // The frames the trap left on the shadow stack were given back (else a few thousand
    // traps exhaust it and every call fails with "memory access out of bounds").
    assert.equal(stack.value, top);
    // The next calls work: a new session, with a token of its own.
    assert.equal((await client.users.get(first.id)).id, first.id);
    assert.equal((await client.users.list({ limit: 1 }).toArray())[0].id, first.id);
    assert.equal(client.stats.tokenRequests, 1);
  }
});

test('a simulated trap whose free() also throws surfaces as a DegreedError', async () => {
  const client = new Client(sandboxOptions(sb.url));
  const [first] = await client.users.list({ limit: 1 }).toArray();
  const { poll, free } = NativeCall.prototype;
  NativeCall.prototype.poll = function () {
    throw new WebAssembly.RuntimeError('unreachable');
  };
  NativeCall.prototype.free = function () {
    free.call(this);
    throw new Error('attempted to take ownership of Rust value while it was borrowed');
  };
  try {
    await assert.rejects(client.users.get(first.id), (e) => e instanceof DegreedError && /internal error/.test(e.message));
    await assert.rejects(client.users.list({ limit: 1 }).toArray(), (e) => e instanceof DegreedError);
  } finally {
    NativeCall.prototype.poll = poll;
    NativeCall.prototype.free = free;
  }
  assert.equal((await client.users.get(first.id)).id, first.id);
});
