/**
 * When the load generator itself is the bottleneck its timestamps are late and its figures are
 * not the server's. Each worker reports its event-loop delay p99 and utilisation; past these
 * limits the run is flagged client-bound. A 15 ms event-loop block was measured to push p99
 * timestamp error from 1.1 ms to 14 ms (DESIGN.md).
 */
export const CLIENT_BOUND_LOOP_DELAY_P99_MS = 10;
export const CLIENT_BOUND_UTILIZATION = 0.9;

export interface ClientHealth {
  loopDelayP99Ms: number;
  utilization: number;
}

export function isClientBound(h: ClientHealth): boolean {
  return h.loopDelayP99Ms > CLIENT_BOUND_LOOP_DELAY_P99_MS || h.utilization > CLIENT_BOUND_UTILIZATION;
}

/** The worst of several workers' health. */
export function worstHealth(all: readonly ClientHealth[]): ClientHealth {
  let loopDelayP99Ms = 0;
  let utilization = 0;
  for (const h of all) {
    loopDelayP99Ms = Math.max(loopDelayP99Ms, h.loopDelayP99Ms);
    utilization = Math.max(utilization, h.utilization);
  }
  return { loopDelayP99Ms, utilization };
}
