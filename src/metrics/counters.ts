import type { ErrorClass, TokenSource } from './record.js';

/**
 * Counters of one interval (or, merged, of a step). Token totals count successful requests only;
 * `liveOutputTokens` counts every content event as it arrives (corrected to the usage total when
 * the request ends), so the per-interval token rate follows generation, not completion.
 */
export interface Counters {
  started: number;
  completed: number;
  succeeded: number;
  failed: number;
  byClass: Partial<Record<ErrorClass, number>>;
  inputTokens: number;
  outputTokens: number;
  liveOutputTokens: number;
  /** Content-bearing SSE events received, over all finished requests. */
  contentEvents: number;
  tokenSources: Partial<Record<TokenSource, number>>;
  sloGood: number;
  /** NaN when nothing happened. performance.now() ms. */
  firstSentAt: number;
  lastSentAt: number;
  firstEndAt: number;
  lastEndAt: number;
  /** Integral of requests in flight over time (request-ms), for time-weighted concurrency. */
  inFlightMs: number;
  inFlightMax: number;
  /** Requests in flight and waiting for a slot at the moment the interval closed. */
  inFlightNow: number;
  queuedNow: number;
}

export function emptyCounters(): Counters {
  return {
    started: 0,
    completed: 0,
    succeeded: 0,
    failed: 0,
    byClass: {},
    inputTokens: 0,
    outputTokens: 0,
    liveOutputTokens: 0,
    contentEvents: 0,
    tokenSources: {},
    sloGood: 0,
    firstSentAt: NaN,
    lastSentAt: NaN,
    firstEndAt: NaN,
    lastEndAt: NaN,
    inFlightMs: 0,
    inFlightMax: 0,
    inFlightNow: 0,
    queuedNow: 0,
  };
}

const minNaN = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.min(a, b));
const maxNaN = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b));

function addKeyed<K extends string>(into: Partial<Record<K, number>>, from: Partial<Record<K, number>>): void {
  for (const k of Object.keys(from) as K[]) into[k] = (into[k] ?? 0) + (from[k] ?? 0);
}

/**
 * Adds `b` into `a`. `sameInterval` says whether both describe the same slice of time (two
 * workers, one interval): then the in-flight and queued counts at its end add up; across
 * intervals the later one stands.
 */
export function mergeCounters(a: Counters, b: Counters, sameInterval: boolean): Counters {
  a.started += b.started;
  a.completed += b.completed;
  a.succeeded += b.succeeded;
  a.failed += b.failed;
  addKeyed(a.byClass, b.byClass);
  a.inputTokens += b.inputTokens;
  a.outputTokens += b.outputTokens;
  a.liveOutputTokens += b.liveOutputTokens;
  a.contentEvents += b.contentEvents;
  addKeyed(a.tokenSources, b.tokenSources);
  a.sloGood += b.sloGood;
  a.firstSentAt = minNaN(a.firstSentAt, b.firstSentAt);
  a.lastSentAt = maxNaN(a.lastSentAt, b.lastSentAt);
  a.firstEndAt = minNaN(a.firstEndAt, b.firstEndAt);
  a.lastEndAt = maxNaN(a.lastEndAt, b.lastEndAt);
  a.inFlightMs += b.inFlightMs;
  // inFlightMax is read from the run-wide gauge: a max in every case, never a sum.
  a.inFlightMax = Math.max(a.inFlightMax, b.inFlightMax);
  if (sameInterval) {
    a.inFlightNow += b.inFlightNow;
    a.queuedNow += b.queuedNow;
  } else {
    a.inFlightNow = b.inFlightNow;
    a.queuedNow = b.queuedNow;
  }
  return a;
}
