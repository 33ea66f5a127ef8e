import { worstHealth, type ClientHealth } from '../metrics/client-health.js';
import { emptyCounters, mergeCounters, type Counters } from '../metrics/counters.js';
import { percentileMs } from '../metrics/histogram.js';
import { unpackRecords, type RequestRecord } from '../metrics/record.js';
import { LATENCY_METRICS, createHistogramSet, unpackHistogramSet, type HistogramSet, type LatencyMetric } from '../metrics/recorder.js';
import type { IntervalTally } from '../metrics/summary.js';
import type { IntervalSnapshot } from './protocol.js';

export interface Percentiles {
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

/** One interval of one step, merged over all workers: what a live view or a time series shows. */
export interface IntervalView {
  step: number;
  interval: number;
  /** End of the interval, ms after the step's start. */
  endMs: number;
  counters: Counters;
  latency: Record<'ttft' | 'tpot' | 'itl' | 'e2e' | 'queue', Percentiles>;
  /** The interval's merged histograms, for views that pool several intervals (last second). */
  histograms: HistogramSet;
  health: ClientHealth;
}

interface Pending {
  counters: Counters;
  hist: HistogramSet;
  health: ClientHealth[];
  endMs: number;
}

function percentiles(set: HistogramSet, m: LatencyMetric): Percentiles {
  const h = set[m];
  return { p50: percentileMs(h, 50), p90: percentileMs(h, 90), p99: percentileMs(h, 99) };
}

/**
 * Merges the workers' interval snapshots of one step. Interval k is complete once every worker
 * has reported k or has finished the step; completed intervals come out in order. Keeps the
 * step's cumulative histograms and counters, and a small tally per interval (a few numbers,
 * not records) for the steady-state window.
 */
export class StepAggregator {
  readonly cumulative: HistogramSet = createHistogramSet();
  readonly counters: Counters = emptyCounters();
  readonly tallies: IntervalTally[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly lastReported: number[];
  private readonly finished: boolean[];
  private nextToEmit = 0;
  /** When the last worker's final snapshot arrived, ms after the step start. */
  private lastFinalMs = 0;

  constructor(
    readonly step: number,
    workers: number,
    private readonly startAt: number,
    private readonly intervalMs: number,
  ) {
    this.lastReported = new Array(workers).fill(-1);
    this.finished = new Array(workers).fill(false);
  }

  /** Adds one snapshot; returns its records and any intervals it completed. */
  add(s: IntervalSnapshot, receivedAt: number): { records: RequestRecord[]; completed: IntervalView[] } {
    let p = this.pending.get(s.interval);
    if (!p) {
      p = { counters: emptyCounters(), hist: createHistogramSet(), health: [], endMs: (s.interval + 1) * this.intervalMs };
      this.pending.set(s.interval, p);
    }
    mergeCounters(p.counters, s.counters, true);
    const hists = unpackHistogramSet(s.histograms);
    for (const m of LATENCY_METRICS) {
      const h = hists[m];
      if (h === undefined) continue;
      p.hist[m].add(h);
      this.cumulative[m].add(h);
    }
    p.health.push(s.health);
    if (s.final) this.lastFinalMs = Math.max(this.lastFinalMs, receivedAt - this.startAt);
    mergeCounters(this.counters, s.counters, false);
    this.lastReported[s.worker] = s.interval;
    if (s.final) this.finished[s.worker] = true;
    return { records: unpackRecords(s.records, s.messages, s.replies), completed: this.drain(false) };
  }

  /** All workers are done: flush whatever is pending. */
  finish(): IntervalView[] {
    return this.drain(true);
  }

  private drain(all: boolean): IntervalView[] {
    const out: IntervalView[] = [];
    // Snapshots of a worker arrive in interval order, so every pending key is >= nextToEmit.
    while (this.pending.size > 0) {
      const k = this.nextToEmit;
      if (!all && !this.lastReported.every((last, w) => last >= k || this.finished[w])) break;
      this.nextToEmit++;
      const p = this.pending.get(k);
      if (!p) continue;
      // Only the step's last interval ends early, when the last worker finished; a worker that
      // finished sooner does not shorten an interval the others still filled.
      if (this.pending.size === 1 && this.finished.every(Boolean)) p.endMs = Math.min(p.endMs, this.lastFinalMs);
      this.pending.delete(k);
      const c = p.counters;
      this.tallies.push({ endMs: p.endMs, started: c.started, completed: c.completed, succeeded: c.succeeded, inputTokens: c.inputTokens, outputTokens: c.outputTokens });
      out.push({
        step: this.step,
        interval: k,
        endMs: p.endMs,
        counters: c,
        latency: {
          ttft: percentiles(p.hist, 'ttft'),
          tpot: percentiles(p.hist, 'tpot'),
          itl: percentiles(p.hist, 'itl'),
          e2e: percentiles(p.hist, 'e2e'),
          queue: percentiles(p.hist, 'queue'),
        },
        histograms: p.hist,
        health: worstHealth(p.health),
      });
    }
    return out;
  }
}
