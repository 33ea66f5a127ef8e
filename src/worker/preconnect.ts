import type { Pool } from 'undici';
import { describeError } from '../client/errors.js';

/**
 * Opens the pool's sockets before the measured window, so connection set-up never lands in the
 * first requests' figures (measured here: 512 streams connecting at once add ~180 ms to the
 * first wave's TTFT in peer tools). Sends `connections` concurrent cheap GETs; with pipelining 1
 * each needs its own socket. Any HTTP answer counts: the socket is open.
 */
export async function preconnect(
  pool: Pool,
  path: string,
  headers: Record<string, string>,
  connections: number,
): Promise<{ ms: number; opened: number; error: string | null }> {
  const started = performance.now();
  let error: string | null = null;
  const results = await Promise.allSettled(
    Array.from({ length: connections }, () =>
      pool.request({ path, method: 'GET', headers }).then((res) => res.body.dump()),
    ),
  );
  let opened = 0;
  for (const r of results) {
    if (r.status === 'fulfilled') opened++;
    else error ??= describeError(r.reason);
  }
  return { ms: performance.now() - started, opened, error };
}
