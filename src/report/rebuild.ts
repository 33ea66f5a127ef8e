import { formatArrival, type ArrivalSpec } from '../load/arrivals.js';
import { emptyCounters, mergeCounters } from '../metrics/counters.js';
import type { Slo } from '../metrics/derive.js';
import type { RequestRecord } from '../metrics/record.js';
import { IntervalRecorder, LATENCY_METRICS, createHistogramSet, unpackHistogramSet, type HistogramSet } from '../metrics/recorder.js';
import { ReplyLengthTally } from '../metrics/reply-lengths.js';
import { TurnTally } from '../metrics/turns.js';
import { summarizeStep, type IntervalTally, type StepLoad } from '../metrics/summary.js';
import type { SavedStep } from './saved-run.js';

/** The engine's interval (engine.ts INTERVAL_MS): the steady-state window is cut on this grid. */
const TALLY_MS = 250;
/** Records between two flushes of the recorder, which otherwise keeps every record it is given. */
const FLUSH_EVERY = 10_000;
const NO_GAPS = new Float64Array(0);

/** What a rebuild needs from run.json for each step. */
export interface RebuildPlan {
  loads: StepLoad[];
  slo: Slo | null;
  workers: number;
}

/** A step's load as run.json holds it (a StepPlan) -> as summary.json names it. */
export function stepLoadFromPlan(p: { mode: 'closed' | 'open'; parallel: number | null; rate: number | null; arrival: ArrivalSpec | null }): StepLoad {
  return { mode: p.mode, parallel: p.parallel, rate: p.rate, arrival: p.arrival === null ? null : formatArrival(p.arrival) };
}

/** Grows a Float64Array by doubling: two numbers per request, never the record. */
class Times {
  data = new Float64Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  sorted(): Float64Array {
    return this.data.subarray(0, this.length).sort();
  }
}

/**
 * Rebuilds one step's summary from its requests.jsonl records, in any order, with the same
 * recorder and summary code a live run uses. Each record is fed as "sent, then finished" on
 * its own, which keeps the in-flight integral exact whatever the order; the first send and the
 * maximum in flight need the order, so send and end times are kept (16 bytes a request) and
 * sorted at the end.
 * ITL and client health are not in the records and come out null.
 */
export class StepRebuilder {
  private recorder: IntervalRecorder;
  private readonly counters = emptyCounters();
  private readonly histograms: HistogramSet = createHistogramSet();
  private readonly tallies = new Map<number, IntervalTally>();
  private readonly sends = new Times();
  private readonly ends = new Times();
  private pending = 0;
  private readonly turns = new TurnTally();
  private readonly replyLengths = new ReplyLengthTally();

  constructor(
    private readonly load: StepLoad,
    private readonly plan: RebuildPlan,
  ) {
    this.recorder = new IntervalRecorder(plan.slo, 0, load.mode === 'open');
  }

  add(r: RequestRecord): void {
    const sent = Number.isFinite(r.sentAt);
    if (sent) {
      this.recorder.onSent(r.sentAt);
      this.sends.push(r.sentAt);
      this.ends.push(r.endAt);
      this.tally(r.sentAt).started++;
    }
    this.recorder.addRecord(r, sent, NO_GAPS, 0);
    this.turns.add(r);
    this.replyLengths.add(r);
    const t = this.tally(r.endAt);
    t.completed++;
    if (r.errorClass === null) {
      t.succeeded++;
      t.inputTokens += r.inputTokens;
      t.outputTokens += r.outputTokens;
    }
    if (++this.pending === FLUSH_EVERY) this.flush();
  }

  private tally(atMs: number): IntervalTally {
    const k = Math.floor(atMs / TALLY_MS);
    let t = this.tallies.get(k);
    if (!t) {
      t = { endMs: (k + 1) * TALLY_MS, started: 0, completed: 0, succeeded: 0, inputTokens: 0, outputTokens: 0 };
      this.tallies.set(k, t);
    }
    return t;
  }

  private flush(): void {
    const { counters, histograms } = this.recorder.take(0);
    // Across flushes counters merge like intervals: sums add, first/last take min/max.
    mergeCounters(this.counters, counters, false);
    const hists = unpackHistogramSet(histograms);
    for (const m of LATENCY_METRICS) {
      const h = hists[m];
      if (h !== undefined) this.histograms[m].add(h);
    }
    this.pending = 0;
  }

  finish(): { summary: SavedStep; histograms: HistogramSet } {
    this.flush();
    // The recorder takes its first send and max in flight from the order of its calls; records
    // come in any order, so both are set from every send and end time here.
    const sends = this.sends.sorted();
    if (sends.length > 0) [this.counters.firstSentAt, this.counters.lastSentAt] = [sends[0]!, sends.at(-1)!];
    this.counters.inFlightMax = maxInFlight(sends, this.ends.sorted());
    const keys = [...this.tallies.keys()].sort((a, b) => a - b);
    const intervals: IntervalTally[] = [];
    // The steady state counts intervals by position: fill the silent ones in between.
    for (let k = keys[0] ?? 0; keys.length > 0 && k <= keys.at(-1)!; k++) {
      intervals.push(this.tallies.get(k) ?? { endMs: (k + 1) * TALLY_MS, started: 0, completed: 0, succeeded: 0, inputTokens: 0, outputTokens: 0 });
    }
    const summary = summarizeStep(
      {
        load: this.load,
        counters: this.counters,
        histograms: this.histograms,
        intervals,
        slo: this.plan.slo,
        workers: this.plan.workers,
        health: { loopDelayP99Ms: 0, utilization: 0 },
        cpuMs: 0,
        turns: this.turns,
        replyLengths: this.replyLengths,
      },
      TALLY_MS,
    );
    // Client health and CPU were measured live and never written per request: unknown, not zero.
    const client = Object.fromEntries(Object.entries(summary.client).map(([k, v]) => [k, k === 'workers' ? v : null])) as SavedStep['client'];
    return { summary: { ...summary, client }, histograms: this.histograms };
  }
}

/** The most requests in flight at once, from sorted send and end times (an end frees its slot first). */
export function maxInFlight(sends: Float64Array, ends: Float64Array): number {
  let i = 0;
  let j = 0;
  let now = 0;
  let max = 0;
  while (i < sends.length) {
    if (j < ends.length && ends[j]! <= sends[i]!) {
      now--;
      j++;
    } else {
      now++;
      i++;
      if (now > max) max = now;
    }
  }
  return max;
}
