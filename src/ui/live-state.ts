import type { StepPlan } from '../config/run-plan.js';
import type { IntervalView, StepAggregator } from '../engine/aggregator.js';
import type { EnginePhase } from '../engine/engine.js';
import { worstHealth, type ClientHealth } from '../metrics/client-health.js';
import type { RequestRecord } from '../metrics/record.js';
import { createHistogram, type Histogram } from '../metrics/histogram.js';

/** One point per second of the running step, for the charts. */
export interface SeriesPoint {
  tSec: number;
  outTokPerSec: number;
  ttftP99: number | null;
  queueP99: number | null;
}

export interface LiveHeader {
  url: string;
  model: string;
  outDir: string;
  slo: boolean;
}

const SECOND = 4; // intervals of 250 ms

/** The latency metrics the dashboard shows for the last second. */
export const SHOWN_METRICS = ['ttft', 'tpot', 'itl', 'e2e', 'queue'] as const;
export type ShownHistograms = Record<(typeof SHOWN_METRICS)[number], Histogram>;
const shownHistograms = (): ShownHistograms => Object.fromEntries(SHOWN_METRICS.map((m) => [m, createHistogram()])) as ShownHistograms;
const MAX_POINTS = 600;

/**
 * Everything the dashboard shows, kept up to date from engine events on the main thread. Holds
 * only bounded data: the last second of intervals, one point per second (at most 10 minutes),
 * and references to the step's cumulative aggregator. No React here: frame.ts turns it into text.
 */
export class LiveRunState {
  phase: EnginePhase['kind'] | 'finished' = 'connecting';
  aborting = false;
  connections = 0;
  warmup = 0;
  pause: { ms: number; nextStep: number; of: number } | null = null;
  step: { index: number; of: number; plan: StepPlan; startAt: number } | null = null;
  aggregator: StepAggregator | null = null;
  /** The last second: up to 4 interval views. */
  recent: IntervalView[] = [];
  /** Their histograms pooled, rebuilt when an interval arrives: only the metrics the view shows. */
  recentHistograms: ShownHistograms = shownHistograms();
  series: SeriesPoint[] = [];
  lastEndMs = 0;
  latestError: { errorClass: string; message: string } | null = null;
  private pendingPoint: IntervalView[] = [];
  /** Bumped on every change, so the view redraws only when there is something new. */
  version = 0;

  constructor(readonly header: LiveHeader) {}

  onPhase(p: EnginePhase): void {
    this.version++;
    if (p.kind === 'connecting') this.connections = p.connections;
    if (p.kind === 'warmup') this.warmup = p.number;
    if (p.kind === 'stopping') this.aborting = p.abort;
    if (p.kind === 'pause') this.pause = { ms: p.ms, nextStep: p.nextStep, of: p.of };
    if (p.kind === 'step') {
      this.step = { index: p.step, of: p.of, plan: p.plan, startAt: p.startAt };
      this.aggregator = null;
      this.recent = [];
      this.recentHistograms = shownHistograms();
      this.series = [];
      this.pendingPoint = [];
      this.lastEndMs = 0;
    }
    this.phase = p.kind === 'step' ? 'step' : p.kind;
  }

  onInterval(v: IntervalView, agg: StepAggregator): void {
    this.version++;
    this.aggregator = agg;
    this.lastEndMs = v.endMs;
    this.recent.push(v);
    if (this.recent.length > SECOND) this.recent.shift();
    const pooled = shownHistograms();
    for (const r of this.recent) for (const m of SHOWN_METRICS) pooled[m].add(r.histograms[m]);
    this.recentHistograms = pooled;
    this.pendingPoint.push(v);
    if (this.pendingPoint.length === SECOND) this.closePoint();
  }

  onRecords(records: readonly RequestRecord[]): void {
    this.version++;
    for (let i = records.length - 1; i >= 0; i--) {
      const r = records[i]!;
      if (r.errorClass !== null) {
        this.latestError = { errorClass: r.errorClass, message: r.errorMessage ?? '' };
        return;
      }
    }
  }

  finish(): void {
    this.version++;
    this.phase = 'finished';
  }

  /** Seconds covered by `recent`. */
  recentSeconds(): number {
    if (this.recent.length === 0) return 0;
    const first = this.recent[0]!;
    return (this.lastEndMs - first.endMs + 250) / 1000;
  }

  recentSum(f: (v: IntervalView) => number): number {
    return this.recent.reduce((a, v) => a + f(v), 0);
  }

  recentHealth(): ClientHealth {
    return worstHealth(this.recent.map((v) => v.health));
  }

  private closePoint(): void {
    const views = this.pendingPoint;
    this.pendingPoint = [];
    const hist = { ttft: createHistogram(), queue: createHistogram() };
    for (const v of views) {
      hist.ttft.add(v.histograms.ttft);
      hist.queue.add(v.histograms.queue);
    }
    const last = views[views.length - 1]!;
    const seconds = (last.endMs - views[0]!.endMs + 250) / 1000;
    const p99 = (h: Histogram) => (h.totalCount > 0 ? h.getValueAtPercentile(99) / 1000 : null);
    this.series.push({
      tSec: last.endMs / 1000,
      outTokPerSec: views.reduce((a, v) => a + v.counters.liveOutputTokens, 0) / seconds,
      ttftP99: p99(hist.ttft),
      queueP99: p99(hist.queue),
    });
    if (this.series.length > MAX_POINTS) this.series.shift();
  }
}
