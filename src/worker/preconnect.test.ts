import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getEventListeners } from 'node:events';
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { preconnect } from './preconnect.js';

let server: Server | null = null;
let pool: Pool | null = null;
afterEach(async () => {
  await pool?.destroy();
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(null)));
  server = pool = null;
});

/** A server on 127.0.0.1 counting the sockets it accepted; `answer` false: it never answers. */
async function start(answer: boolean): Promise<{ origin: string; sockets: () => number }> {
  let sockets = 0;
  server = createServer((_req, res) => {
    if (answer) res.end('{"data":[]}');
  });
  server.on('connection', () => sockets++);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets: () => sockets };
}

describe('preconnect', () => {
  it('opens one socket per connection asked for, and leaves no listener on the caller signal', async () => {
    const s = await start(true);
    pool = new Pool(s.origin, { connections: 8, pipelining: 1 });
    const signal = new AbortController().signal;
    const r = await preconnect(pool, '/v1/models', {}, 8, signal);
    expect(r).toMatchObject({ opened: 8, error: null });
    expect(s.sockets()).toBe(8);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('gives up at its deadline on a server that never answers, and names it', async () => {
    const s = await start(false);
    pool = new Pool(s.origin, { connections: 2, pipelining: 1 });
    const r = await preconnect(pool, '/v1/models', {}, 2, new AbortController().signal, 200);
    expect(r.opened).toBe(0);
    expect(r.error).toMatch(/no answer within 0\.2 s/);
  });

  it('ends when the caller stops it', async () => {
    const s = await start(false);
    pool = new Pool(s.origin, { connections: 2, pipelining: 1 });
    const stop = new AbortController();
    setTimeout(() => stop.abort(new Error('stop')), 50);
    const r = await preconnect(pool, '/v1/models', {}, 2, stop.signal);
    expect(r).toMatchObject({ opened: 0, error: 'stopped while opening connections' });
  });
});
