import type { Histogram } from '../metrics/histogram.js';
import type { StepLoad } from '../metrics/summary.js';
import type { StepSeries } from './saved-run.js';

/**
 * A chart as the page's script draws it with uPlot: one shared x array, series of y values
 * (null = no point). Built here from numbers only; labels are plain text the page sets with
 * textContent.
 */
export interface ChartSeries {
  label: string;
  values: (number | null)[];
  dashed?: boolean;
  /** Palette index; series of one run or step share a colour across charts. */
  color: number;
}

export interface ChartSpec {
  /**
   * 'hdr': x is 1/(1-p) on a log axis, labelled as percentiles. 'level' and 'knee': a point
   * per step (x = load level, or throughput), lines drawn through a run's missing points.
   */
  kind: 'hdr' | 'time' | 'level' | 'knee';
  title: string;
  xLabel: string;
  yLabel: string;
  xLog: boolean;
  yLog: boolean;
  x: number[];
  series: ChartSeries[];
}

/** Short label of a load level: "8 parallel", "5 req/s poisson, cap 8". */
export function loadLabel(l: StepLoad): string {
  if (l.mode === 'closed') return `${l.parallel} parallel`;
  return `${l.rate} req/s${l.arrival ? ` ${l.arrival}` : ''}${l.parallel !== null ? `, cap ${l.parallel}` : ''}`;
}

/** A load level with its mode: "closed loop, 8 parallel", "open loop, 5 req/s poisson, cap 8". */
export const describeLoad = (l: StepLoad): string => `${l.mode === 'closed' ? 'closed loop' : 'open loop'}, ${loadLabel(l)}`;

/** The number a sweep varies: users for a closed loop, arrival rate for an open one. */
const loadLevel = (l: StepLoad): number => (l.mode === 'closed' ? (l.parallel ?? 0) : (l.rate ?? 0));

const POINTS_PER_DECADE = 10;

/** x positions 1/(1-p) of an HDR plot: 10 a decade, up to the largest count (beyond it, only the max is known). */
export function hdrGrid(maxCount: number): number[] {
  const xs: number[] = [];
  for (let k = 0; ; k++) {
    const x = 10 ** (k / POINTS_PER_DECADE);
    xs.push(Math.round(x * 1000) / 1000);
    if (x >= maxCount) return xs;
  }
}

/**
 * A histogram's values (ms) at the grid's percentiles. The curve ends at the histogram's max,
 * at the first grid point past its count: a run of 200 requests says nothing of p99.99.
 */
export function hdrValues(h: Histogram, grid: readonly number[]): (number | null)[] {
  const n = h.totalCount;
  let ended = n === 0;
  return grid.map((x) => {
    if (ended) return null;
    if (x >= n) {
      ended = true;
      return h.maxValue / 1000;
    }
    return h.getValueAtPercentile(100 * (1 - 1 / x)) / 1000;
  });
}

/** One HDR chart of a metric: a curve per (label, histogram). Null when none has data. */
export function hdrChart(title: string, curves: { label: string; color: number; h: Histogram | undefined }[]): ChartSpec | null {
  const withData = curves.filter((c): c is { label: string; color: number; h: Histogram } => c.h !== undefined && c.h.totalCount > 0);
  if (withData.length === 0) return null;
  const x = hdrGrid(Math.max(...withData.map((c) => c.h.totalCount)));
  return {
    kind: 'hdr',
    title,
    xLabel: 'percentile',
    yLabel: 'ms',
    xLog: true,
    yLog: true,
    x,
    series: withData.map((c) => ({ label: c.label, color: c.color, values: hdrValues(c.h, x) })),
  };
}

/** Per-step time series overlaid on "seconds into the step". */
export function timeCharts(series: readonly { label: string; color: number; s: StepSeries }[]): ChartSpec[] {
  if (series.length === 0) return [];
  const bucketS = Math.max(...series.map((x) => x.s.bucketS));
  const len = Math.max(...series.map((x) => x.s.t.length));
  const x = Array.from({ length: len }, (_, i) => i * bucketS);
  const pad = (v: (number | null)[]) => [...v, ...new Array<null>(len - v.length).fill(null)];
  const per = bucketS === 1 ? 'per second' : `per ${bucketS} s (mean)`;
  const chart = (title: string, yLabel: string, pick: (s: StepSeries) => (number | null)[]): ChartSpec => ({
    kind: 'time',
    title,
    xLabel: 'seconds into the step',
    yLabel,
    xLog: false,
    yLog: false,
    x,
    series: series.map((p) => ({ label: p.label, color: p.color, values: pad(pick(p.s)) })),
  });
  const out = [
    chart(`Output tokens/s, ${per}`, 'tokens/s', (s) => s.outputTokensPerS),
    chart(`Successful requests/s, ${per}`, 'req/s', (s) => s.requestsPerS),
    chart('Requests in flight (mean)', 'requests', (s) => s.inFlight),
    chart(`Failed requests/s, ${per}`, 'errors/s', (s) => s.errorsPerS),
  ];
  if (series.some((p) => p.s.ttftP50.some((v) => v !== null))) {
    out.splice(3, 0, {
      ...chart('TTFT p50 (solid) and p99 (dashed)', 'ms', (s) => s.ttftP50),
      series: series.flatMap((p) => [
        { label: `${p.label} p50`, color: p.color, values: pad(p.s.ttftP50) },
        { label: `${p.label} p99`, color: p.color, dashed: true, values: pad(p.s.ttftP99) },
      ]),
    });
  }
  return out;
}

/** What the sweep charts read of a step. */
interface LevelStep {
  load: StepLoad;
  throughput: { output_tokens_per_s: number };
  latency_ms: Record<string, { p50: number; p99: number } | null>;
}

/** A run's steps in the sweep charts; an empty label leaves series names bare ("p50"). */
export interface LevelRun {
  label: string;
  color: number;
  steps: readonly LevelStep[];
}

const seriesName = (r: LevelRun, what: string) => (r.label === '' ? what : `${r.label} ${what}`);

/**
 * Sweep charts: figures against the load level (users or arrival rate), one series per run,
 * so the saturation knee shows as throughput flattening while latency climbs. Only when every
 * step has the same mode (a level of users and one of req/s share no axis).
 */
export function levelCharts(runs: readonly LevelRun[]): ChartSpec[] {
  const all = runs.flatMap((r) => r.steps);
  if (all.length < 2 || new Set(all.map((s) => s.load.mode)).size > 1) return [];
  const x = [...new Set(all.map((s) => loadLevel(s.load)))].sort((a, b) => a - b);
  const xLabel = all[0]!.load.mode === 'closed' ? 'parallel users' : 'arrival rate (req/s)';
  const xLog = x[0]! > 0 && x.at(-1)! / x[0]! >= 10;
  const at = (r: LevelRun, pick: (s: LevelStep) => number | null | undefined) =>
    x.map((lv) => {
      const s = r.steps.find((st) => loadLevel(st.load) === lv);
      return s === undefined ? null : (pick(s) ?? null);
    });
  const latency = (metric: string, title: string): ChartSpec => ({
    kind: 'level',
    title,
    xLabel,
    yLabel: 'ms',
    xLog,
    yLog: true,
    x,
    series: runs.flatMap((r) => [
      { label: seriesName(r, 'p50'), color: r.color, values: at(r, (s) => s.latency_ms[metric]?.p50) },
      { label: seriesName(r, 'p99'), color: r.color, dashed: true, values: at(r, (s) => s.latency_ms[metric]?.p99) },
    ]),
  });
  return [
    { kind: 'level', title: 'Output tokens/s by load', xLabel, yLabel: 'tokens/s', xLog, yLog: false, x, series: runs.map((r) => ({ label: seriesName(r, 'output tok/s'), color: r.color, values: at(r, (s) => s.throughput.output_tokens_per_s) })) },
    kneeChart(runs),
    latency('ttft', 'TTFT p50 (solid) and p99 (dashed) by load'),
    latency('tpot', 'TPOT p50 (solid) and p99 (dashed) by load'),
    latency('e2e', 'E2E p50 (solid) and p99 (dashed) by load'),
  ];
}

/**
 * Latency against achieved throughput, a point per step: where throughput stops growing and
 * latency climbs is the saturation knee. x is the sorted union of every run's throughputs.
 */
function kneeChart(runs: readonly LevelRun[]): ChartSpec {
  const tput = (s: LevelStep) => s.throughput.output_tokens_per_s;
  const x = [...new Set(runs.flatMap((r) => r.steps.map(tput)))].sort((a, b) => a - b);
  const at = (r: LevelRun, p: 'p50' | 'p99') => x.map((v) => r.steps.find((s) => tput(s) === v)?.latency_ms.ttft?.[p] ?? null);
  return {
    kind: 'knee',
    title: 'TTFT p50 (solid) and p99 (dashed) against output tokens/s: the saturation knee',
    xLabel: 'output tokens/s',
    yLabel: 'ms',
    xLog: false,
    yLog: true,
    x,
    series: runs.flatMap((r) => [
      { label: seriesName(r, 'TTFT p50'), color: r.color, values: at(r, 'p50') },
      { label: seriesName(r, 'TTFT p99'), color: r.color, dashed: true, values: at(r, 'p99') },
    ]),
  };
}
