// Hostile servers (issue 12): the core's deadline cuts off a server that trickles its answer,
// and a body is read up to `maxBodyBytes` (an endless one ends with a DecodeError).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createServer } from 'node:net';
import { Client, DecodeError, TimeoutError, TransportError } from 'degreed';

const TOKEN = '{"access_token":"hostile-token","token_type":"bearer","expires_in":3600}';

/** A loopback HTTP server: the token at once; API requests get `mode` ('trickle' or 'endless'). */
function hostile(mode) {
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    let buffered = '';
    socket.on('data', (d) => {
      buffered += d.toString('latin1');
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffered.slice(0, end);
      const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (buffered.length < end + 4 + length) return;
      buffered = buffered.slice(end + 4 + length);
      if (head.includes('/oauth/token')) {
        socket.write(
          `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${TOKEN.length}\r\n\r\n${TOKEN}`,
        );
      } else if (mode === 'trickle') {
        const body = '{"data": []}';
        const response = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
        let i = 0;
        const timer = setInterval(() => {
          if (socket.destroyed || i >= response.length) return clearInterval(timer);
          socket.write(response[i++]);
        }, 1000);
        socket.on('close', () => clearInterval(timer));
      } else {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
        const chunk = ' '.repeat(65536);
        const pump = () => {
          while (!socket.destroyed && socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`)) {}
          if (!socket.destroyed) socket.once('drain', pump);
        };
        pump();
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        close: () => {
          for (const s of sockets) s.destroy();
          server.close();
        },
      });
    });
  });
}

describe('hostile servers', () => {
  let trickle;
  let endless;
  before(async () => {
    trickle = await hostile('trickle');
    endless = await hostile('endless');
  });
  after(() => {
    trickle.close();
    endless.close();
  });

  const options = (baseUrl, extra = {}) => ({ clientId: 'id', clientSecret: 'secret', baseUrl, ...extra });

  // The trickle sends its ~80-byte answer one byte a second: without a deadline a call lasts
  // ~80 s. A call must end not before its deadline (less the core's 50 ms slack and timer
  // granularity), and long before the trickle would: a loaded machine adds seconds, not a minute.
  const assertEndedAtDeadline = (elapsed, deadline) =>
    assert.ok(elapsed >= deadline - 100 && elapsed < deadline + 10_000, `${elapsed} ms for a ${deadline} ms deadline`);

  test('a trickling server is cut off at the call deadline with a TimeoutError', async () => {
    const client = new Client(options(trickle.url, { timeoutMs: 2000, maxRetries: 3 }));
    const started = Date.now();
    const err = await client.users.get('u1').catch((e) => e);
    assertEndedAtDeadline(Date.now() - started, 2000);
    assert.ok(err instanceof TimeoutError && err instanceof TransportError, String(err));
    assert.equal(err.kind, 'timeout');
    // The deadline covers retries: none was tried (each would restart the trickle).
    assert.equal(client.stats.retries, 0);
    // A per-call timeoutMs is the deadline too: the call's 1 s, not the client's 60 s.
    const patient = new Client(options(trickle.url, { timeoutMs: 60_000 }));
    const t0 = Date.now();
    const err2 = await patient.users.list({ timeoutMs: 1000 }).toArray().catch((e) => e);
    assertEndedAtDeadline(Date.now() - t0, 1000);
    assert.ok(err2 instanceof TimeoutError, String(err2));
  });

  test('an endless body stops at maxBodyBytes with a DecodeError', async () => {
    const client = new Client(options(endless.url, { maxBodyBytes: 1 << 20 }));
    const err = await client.users.get('u1').catch((e) => e);
    assert.ok(err instanceof DecodeError, String(err));
    assert.equal(err.status, 200);
    assert.match(err.message, /limit of 1048576 bytes/);
    assert.equal(client.stats.retries, 0);
    assert.throws(() => new Client(options(endless.url, { maxBodyBytes: 0 })), /maxBodyBytes/);
  });
});
