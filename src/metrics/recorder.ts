import { emptyCounters, type Counters } from './counters.js';
import { deriveLatencies, meetsSlo, type Slo } from './derive.js';
import { createHistogram, encodeHistogram, recordMs, type Histogram } from './histogram.js';
import { packHistograms, unpackHistograms } from './histogram-codec.js';
import type { RequestRecord } from './record.js';

/**
 * serverPrompt: the server's own prefill time; ttftOverhead / e2eOverhead: the client's figure
 * minus the server's (network, queueing before the server starts, client), only for servers
 * that report `timings`.
 */
export const LATENCY_METRICS = ['ttft', 'tpot', 'itl', 'e2e', 'queue', 'ttftFromSchedule', 'e2eFromSchedule', 'serverPrompt', 'ttftOverhead', 'e2eOverhead'] as const;
export type LatencyMetric = (typeof LATENCY_METRICS)[number];

export type HistogramSet = Record<LatencyMetric, Histogram>;
export type EncodedHistograms = Partial<Record<LatencyMetric, string>>;
/** An interval's histograms, worker -> main thread (metrics/histogram-codec.ts), transferred. */
export type PackedHistograms = Uint32Array;

export function createHistogramSet(): HistogramSet {
  return Object.fromEntries(LATENCY_METRICS.map((m) => [m, createHistogram()])) as HistogramSet;
}

export function encodeHistogramSet(set: HistogramSet): EncodedHistograms {
  const out: EncodedHistograms = {};
  for (const m of LATENCY_METRICS) if (set[m].totalCount > 0) out[m] = encodeHistogram(set[m]);
  return out;
}

export function packHistogramSet(set: HistogramSet): PackedHistograms {
  return packHistograms(LATENCY_METRICS.map((m) => set[m]));
}

/** The non-empty histograms of packHistogramSet. */
export function unpackHistogramSet(packed: PackedHistograms): Partial<HistogramSet> {
  const out: Partial<HistogramSet> = {};
  unpackHistograms(packed).forEach((h, i) => {
    if (h !== null) out[LATENCY_METRICS[i]!] = h;
  });
  return out;
}

/**
 * Requests in flight over the whole run, across workers (an Atomics counter in the engine's
 * shared memory), so the step's max is exact rather than a sum of per-worker peaks.
 */
export interface InFlightGauge {
  /** Adds `delta` and returns the new total. */
  add(delta: number): number;
  read(): number;
}

export function localGauge(): InFlightGauge {
  let n = 0;
  return { add: (d) => (n += d), read: () => n };
}

/**
 * What a worker has measured since its last report. Not thread-safe and not meant to be: one per
 * worker, driven from that worker's event loop. The hot-path calls (`onContentEvent`,
 * `addRecord`) only bump numbers and record into histograms.
 */
export class IntervalRecorder {
  private hist = createHistogramSet();
  private counters = emptyCounters();
  private records: RequestRecord[] = [];
  private inFlight = 0;
  private queued = 0;
  private lastChange: number;

  /** `sloFromSchedule`: judge the SLO from scheduled arrival times (open loop); see meetsSlo. */
  constructor(
    private readonly slo: Slo | null,
    now: number,
    private readonly sloFromSchedule = false,
    private readonly gauge: InFlightGauge = localGauge(),
  ) {
    this.lastChange = now;
  }

  private accrue(now: number): void {
    this.counters.inFlightMs += this.inFlight * (now - this.lastChange);
    this.lastChange = now;
  }

  onQueued(delta: number): void {
    this.queued += delta;
  }

  onSent(now: number): void {
    this.accrue(now);
    this.inFlight++;
    const total = this.gauge.add(1);
    const c = this.counters;
    c.started++;
    if (total > c.inFlightMax) c.inFlightMax = total;
    if (Number.isNaN(c.firstSentAt)) c.firstSentAt = now;
    c.lastSentAt = now;
  }

  onContentEvent(): void {
    this.counters.liveOutputTokens++;
  }

  /**
   * A request ended. `wasSent` is false for one that failed before reaching a socket (it never
   * counted as in flight). `itlGaps` holds the request's gaps between content events (ms); they
   * are recorded only for a success, so failures never enter latency histograms.
   */
  addRecord(r: RequestRecord, wasSent: boolean, itlGaps: Float64Array, gapCount: number): void {
    if (wasSent) {
      this.accrue(r.endAt);
      this.inFlight--;
      this.gauge.add(-1);
    }
    const c = this.counters;
    c.completed++;
    if (Number.isNaN(c.firstEndAt)) c.firstEndAt = r.endAt;
    c.lastEndAt = Number.isNaN(c.lastEndAt) ? r.endAt : Math.max(c.lastEndAt, r.endAt);
    c.liveOutputTokens += Math.max(0, r.outputTokens - r.contentEvents);
    c.contentEvents += r.contentEvents;
    this.records.push(r);
    if (r.errorClass !== null) {
      c.failed++;
      c.byClass[r.errorClass] = (c.byClass[r.errorClass] ?? 0) + 1;
      return;
    }
    c.succeeded++;
    c.inputTokens += r.inputTokens;
    c.outputTokens += r.outputTokens;
    c.tokenSources[r.tokenSource] = (c.tokenSources[r.tokenSource] ?? 0) + 1;
    const d = deriveLatencies(r);
    const h = this.hist;
    if (d.ttft !== null) recordMs(h.ttft, d.ttft);
    if (d.tpot !== null) recordMs(h.tpot, d.tpot);
    if (d.ttftFromSchedule !== null) recordMs(h.ttftFromSchedule, d.ttftFromSchedule);
    recordMs(h.e2e, d.e2e);
    recordMs(h.queue, d.queue);
    recordMs(h.e2eFromSchedule, d.e2eFromSchedule);
    for (let i = 0; i < gapCount; i++) recordMs(h.itl, itlGaps[i]!);
    if (Number.isFinite(r.serverPromptMs)) {
      recordMs(h.serverPrompt, r.serverPromptMs);
      if (d.ttft !== null) recordMs(h.ttftOverhead, d.ttft - r.serverPromptMs);
      if (Number.isFinite(r.serverPredictedMs)) recordMs(h.e2eOverhead, d.e2e - r.serverPromptMs - r.serverPredictedMs);
    }
    if (this.slo !== null && meetsSlo(d, this.slo, this.sloFromSchedule)) c.sloGood++;
  }

  /** Closes the interval at `now`: returns what it measured and starts a new one. */
  take(now: number): { counters: Counters; histograms: PackedHistograms; records: RequestRecord[] } {
    this.accrue(now);
    const counters = this.counters;
    counters.inFlightNow = this.inFlight;
    counters.queuedNow = this.queued;
    // Packed, not compressed: compressing here took ~0.5-1 ms of the worker's loop an interval.
    const histograms = packHistogramSet(this.hist);
    for (const m of LATENCY_METRICS) this.hist[m].reset();
    const records = this.records;
    this.counters = emptyCounters();
    // Requests still in flight belong to the next interval too.
    this.counters.inFlightMax = this.gauge.read();
    this.records = [];
    return { counters, histograms, records };
  }
}
