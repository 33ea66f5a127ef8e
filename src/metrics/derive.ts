import type { RequestRecord } from './record.js';

/** Latency metrics derived from one successful record (DESIGN.md, "Derived"). null = not defined. */
export interface DerivedLatencies {
  ttft: number | null;
  tpot: number | null;
  e2e: number;
  queue: number;
  ttftFromSchedule: number | null;
  e2eFromSchedule: number;
}

const finite = (x: number): x is number => Number.isFinite(x);

export function deriveLatencies(r: RequestRecord): DerivedLatencies {
  const hasToken = finite(r.firstTokenAt);
  return {
    ttft: hasToken ? r.firstTokenAt - r.sentAt : null,
    // TPOT excludes the first token: (last - first) / (n - 1), defined from 2 output tokens on.
    tpot: hasToken && finite(r.lastTokenAt) && r.outputTokens >= 2 ? (r.lastTokenAt - r.firstTokenAt) / (r.outputTokens - 1) : null,
    e2e: r.endAt - r.sentAt,
    queue: r.sentAt - r.scheduledAt,
    ttftFromSchedule: hasToken ? r.firstTokenAt - r.scheduledAt : null,
    e2eFromSchedule: r.endAt - r.scheduledAt,
  };
}

/**
 * Service-level objectives: a successful request is "good" when every set bound holds.
 * Bounds in milliseconds.
 */
export interface Slo {
  ttft?: number;
  tpot?: number;
  e2e?: number;
}

/**
 * `fromSchedule`: judge TTFT and E2E from the scheduled arrival, not the send. In an open loop
 * that is what a user arriving at that moment waits (a wait for a free slot counts); in a closed
 * loop the two are the same up to the client's own turn.
 */
export function meetsSlo(d: DerivedLatencies, slo: Slo, fromSchedule: boolean): boolean {
  const ttft = fromSchedule ? d.ttftFromSchedule : d.ttft;
  const e2e = fromSchedule ? d.e2eFromSchedule : d.e2e;
  if (slo.ttft !== undefined && (ttft === null || ttft > slo.ttft)) return false;
  // A one-token reply has no TPOT: it cannot break a TPOT bound.
  if (slo.tpot !== undefined && d.tpot !== null && d.tpot > slo.tpot) return false;
  if (slo.e2e !== undefined && e2e > slo.e2e) return false;
  return true;
}
