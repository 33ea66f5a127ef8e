import type { IntervalView, StepAggregator } from '../engine/aggregator.js';
import { percentileMs } from '../metrics/histogram.js';
import type { EnginePhase } from '../engine/engine.js';
import type { StepPlan } from '../config/run-plan.js';

const f = (x: number | null, d = 0) => (x === null ? '-' : x.toFixed(d));

/**
 * Plain progress for pipes, CI and --no-tui: one line per second on stderr, no escape codes.
 * Rates are over the last second; counts and percentiles are cumulative for the step.
 */
export class ProgressLines {
  private recent: IntervalView[] = [];
  private done = 0;
  private failed = 0;
  private plan: StepPlan | null = null;
  private label = '';
  private lastPrint = -Infinity;

  constructor(private readonly write: (line: string) => void) {}

  phase(p: EnginePhase): void {
    if (p.kind === 'connecting') this.write(`opening ${p.connections} connection${p.connections === 1 ? '' : 's'}`);
    else if (p.kind === 'warmup') this.write(`warmup: ${p.number} requests, not measured`);
    else if (p.kind === 'pause') this.write(`pausing ${p.ms / 1000} s before step ${p.nextStep + 1}/${p.of}`);
    else if (p.kind === 'stopping') this.write(p.abort ? 'aborting in-flight requests' : 'stopping: in-flight requests finish (Ctrl-C again to abort them)');
    else {
      this.plan = p.plan;
      this.recent = [];
      this.done = this.failed = 0;
      this.lastPrint = -Infinity;
      this.label = p.of > 1 ? `step ${p.step + 1}/${p.of} ` : '';
      const load = p.plan.mode === 'closed' ? `${p.plan.parallel} parallel` : `${p.plan.rate} req/s ${p.plan.arrival?.kind}${p.plan.parallel ? ` cap ${p.plan.parallel}` : ''}`;
      this.write(`${this.label}start: ${load}, ${p.plan.number !== null ? `${p.plan.number} requests` : ''}${p.plan.number !== null && p.plan.durationMs !== null ? ' or ' : ''}${p.plan.durationMs !== null ? `${p.plan.durationMs / 1000} s` : ''}`);
    }
  }

  interval(v: IntervalView, step: StepAggregator): void {
    this.done += v.counters.completed;
    this.failed += v.counters.failed;
    this.recent.push(v);
    while (this.recent.length > 4) this.recent.shift();
    if (v.endMs - this.lastPrint < 1000) return;
    this.lastPrint = v.endMs;
    const first = this.recent[0]!;
    const seconds = (v.endMs - first.endMs + 250) / 1000;
    const sum = (g: (x: IntervalView) => number) => this.recent.reduce((a, x) => a + g(x), 0);
    const total = this.plan?.number ? `/${this.plan.number}` : '';
    this.write(
      `[${(v.endMs / 1000).toFixed(1).padStart(6)}s] ${this.label}done ${this.done}${total}  in flight ${v.counters.inFlightNow}` +
        `${v.counters.queuedNow > 0 ? ` queued ${v.counters.queuedNow}` : ''}  ${f(sum((x) => x.counters.succeeded) / seconds, 1)} req/s` +
        `  ${f(sum((x) => x.counters.liveOutputTokens) / seconds)} tok/s` +
        `  TTFT p50 ${f(percentileMs(step.cumulative.ttft, 50), 1)} p99 ${f(percentileMs(step.cumulative.ttft, 99), 1)} ms` +
        `  TPOT p50 ${f(percentileMs(step.cumulative.tpot, 50), 1)} ms  errors ${this.failed}`,
    );
  }
}
