import { setMaxListeners } from 'node:events';
import type { Pool } from 'undici';
import { describeError } from '../client/errors.js';

/** A server that accepts sockets but never answers must not hold a run at "opening connections". */
export const PRECONNECT_DEADLINE_MS = 30_000;

/**
 * Opens the pool's sockets before the measured window, so connection set-up never lands in the
 * first requests' figures (measured here: 512 streams connecting at once add ~180 ms to the
 * first wave's TTFT in peer tools). Sends `connections` concurrent cheap GETs; with pipelining 1
 * each needs its own socket, and idle open sockets are reused first, so a second call only tops
 * up what the server closed. Any HTTP answer counts: the socket is open. `signal` ends it early
 * (a stop); so does the deadline.
 */
export async function preconnect(
  pool: Pool,
  path: string,
  headers: Record<string, string>,
  connections: number,
  signal: AbortSignal,
  deadlineMs = PRECONNECT_DEADLINE_MS,
): Promise<{ ms: number; opened: number; error: string | null }> {
  const started = performance.now();
  // A controller of our own, dropped when the requests are done. AbortSignal.any over a 30 s
  // AbortSignal.timeout kept every request's abort listener (and what it holds) alive for 30 s
  // after the answers: measured in the worker as ~0.8 MB promoted by each scavenge of the run.
  const deadline = new AbortController();
  const stop = () => deadline.abort(signal.reason);
  signal.addEventListener('abort', stop, { once: true });
  const timer = setTimeout(() => deadline.abort(new Error(`no answer within ${deadlineMs / 1000} s`)), deadlineMs);
  // One listener per request on the shared signal is expected, not a leak.
  setMaxListeners(connections + 10, deadline.signal);
  const results = await Promise.allSettled(
    Array.from({ length: connections }, () => pool.request({ path, method: 'GET', headers, signal: deadline.signal }).then((res) => res.body.dump())),
  );
  clearTimeout(timer);
  signal.removeEventListener('abort', stop);
  let opened = 0;
  let error: string | null = null;
  for (const r of results) {
    if (r.status === 'fulfilled') opened++;
    else error ??= signal.aborted ? 'stopped while opening connections' : describeError(r.reason);
  }
  return { ms: performance.now() - started, opened, error };
}
