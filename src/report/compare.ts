import type { StepLoad } from '../metrics/summary.js';
import { describeLoad } from './charts.js';
import { fmt, fmtPct, successRate } from './format.js';
import type { SavedStep } from './saved-run.js';

/** Which way is good: latencies down, throughput, goodput and success up; null = neither. */
export type Better = 'lower' | 'higher' | null;

export interface CompareMetric {
  name: string;
  better: Better;
  /** A fraction shown as a percentage (differences in points). */
  fraction?: boolean;
  get(s: SavedStep): number | null;
}

const lat = (m: string, p: 'p50' | 'p90' | 'p99', name: string): CompareMetric => ({
  name: `${name} ${p} ms`,
  better: 'lower',
  get: (s) => s.latency_ms[m]?.[p] ?? null,
});

export const COMPARE_METRICS: readonly CompareMetric[] = [
  { name: 'requests/s', better: 'higher', get: (s) => s.throughput.requests_per_s },
  { name: 'output tokens/s', better: 'higher', get: (s) => s.throughput.output_tokens_per_s },
  { name: 'total tokens/s', better: 'higher', get: (s) => s.throughput.total_tokens_per_s },
  { name: 'goodput req/s', better: 'higher', get: (s) => s.throughput.goodput_requests_per_s },
  { name: 'success rate', better: 'higher', fraction: true, get: (s) => successRate(s.requests) },
  lat('ttft', 'p50', 'TTFT'),
  lat('ttft', 'p90', 'TTFT'),
  lat('ttft', 'p99', 'TTFT'),
  lat('tpot', 'p50', 'TPOT'),
  lat('tpot', 'p99', 'TPOT'),
  lat('itl', 'p50', 'ITL'),
  lat('itl', 'p99', 'ITL'),
  lat('e2e', 'p50', 'E2E'),
  lat('e2e', 'p99', 'E2E'),
  lat('queue', 'p99', 'queue'),
  { name: 'concurrency mean', better: null, get: (s) => s.concurrency.mean },
];

/** Differences smaller than this share of the larger value are "same": run-to-run noise, not a win. */
export const SAME_WITHIN = 0.01;

export interface Diff {
  abs: number | null;
  /** Percent of the baseline; null when the baseline is 0 or missing. */
  pct: number | null;
  verdict: 'better' | 'worse' | 'same' | null;
}

export function diff(base: number | null, value: number | null, better: Better): Diff {
  if (base === null || value === null) return { abs: null, pct: null, verdict: null };
  const abs = value - base;
  const pct = base !== 0 ? (abs / Math.abs(base)) * 100 : null;
  if (better === null) return { abs, pct, verdict: null };
  if (Math.abs(abs) <= SAME_WITHIN * Math.max(Math.abs(base), Math.abs(value))) return { abs, pct, verdict: 'same' };
  return { abs, pct, verdict: (better === 'lower') === abs < 0 ? 'better' : 'worse' };
}

/**
 * The runs with the best value: those within SAME_WITHIN of the best. Empty when the metric
 * has no direction or fewer than two runs have it.
 */
export function best(values: readonly (number | null)[], better: Better): number[] {
  const present = values.map((v, i) => [v, i] as const).filter((p): p is readonly [number, number] => p[0] !== null);
  if (better === null || present.length < 2) return [];
  const top = present.reduce((a, b) => ((better === 'lower' ? b[0] < a[0] : b[0] > a[0]) ? b : a))[0];
  return present.filter(([v]) => diff(top, v, better).verdict === 'same').map(([, i]) => i);
}

/** "B", "A, C", or "same" when every run that has the metric ties. */
export function bestLabel(row: { values: readonly (number | null)[]; best: readonly number[] }): string {
  if (row.best.length === 0) return '';
  return row.best.length === row.values.filter((v) => v !== null).length ? 'same' : row.best.map(runLabel).join(', ');
}

export interface Level {
  load: StepLoad;
  label: string;
  /** The matching step of each run (null where a run has no step at this level). */
  steps: (SavedStep | null)[];
}

const levelKey = (l: StepLoad) => (l.mode === 'closed' ? `closed:${l.parallel}` : `open:${l.rate}`);

/** Steps of several runs matched by load level: mode and users (closed) or arrival rate (open). */
export function matchLevels(runs: readonly (readonly SavedStep[])[]): Level[] {
  const levels = new Map<string, Level>();
  runs.forEach((steps, r) => {
    for (const s of steps) {
      const key = levelKey(s.load);
      let lv = levels.get(key);
      if (!lv) levels.set(key, (lv = { load: s.load, label: describeLoad(s.load), steps: runs.map(() => null) }));
      // A run that ran a level twice is compared on its first.
      lv.steps[r] ??= s;
    }
  });
  const order = (l: StepLoad) => (l.mode === 'closed' ? 0 : 1e12) + (l.mode === 'closed' ? (l.parallel ?? 0) : (l.rate ?? 0));
  return [...levels.values()].sort((a, b) => order(a.load) - order(b.load));
}

export interface CompareRow {
  metric: CompareMetric;
  values: (number | null)[];
  /** Each run against the first (index 0 is the baseline itself). */
  diffs: Diff[];
  best: number[];
}

export function compareRows(level: Level): CompareRow[] {
  return COMPARE_METRICS.map((metric) => {
    const values = level.steps.map((s) => (s === null ? null : metric.get(s)));
    return { metric, values, diffs: values.map((v) => diff(values[0] ?? null, v, metric.better)), best: best(values, metric.better) };
  }).filter((r) => r.values.some((v) => v !== null));
}

export const runLabel = (i: number) => String.fromCharCode(65 + (i % 26)) + (i >= 26 ? String(Math.floor(i / 26)) : '');

export function fmtValue(m: CompareMetric, v: number | null): string {
  return m.fraction ? fmtPct(v, 2) : fmt(v);
}

/** "+0.27 (+4.7%)"; fractions as percentage points. */
export function fmtDiff(m: CompareMetric, d: Diff): string {
  if (d.abs === null) return '-';
  const sign = (x: number) => (x > 0 ? '+' : x < 0 ? '' : '±');
  const abs = m.fraction ? `${sign(d.abs)}${(d.abs * 100).toFixed(2)} pt` : `${sign(d.abs)}${fmt(d.abs)}`;
  return d.pct === null || m.fraction ? abs : `${abs} (${sign(d.pct)}${d.pct.toFixed(1)}%)`;
}

/** The terminal table: per level, a metric per row, a column per run, differences against run A. */
export function renderCompareTable(names: readonly string[], levels: readonly Level[]): string {
  const out: string[] = names.map((n, i) => `${runLabel(i)} = ${n}`);
  const others = names.slice(1).map((_, i) => i + 1);
  for (const level of levels) {
    const head = ['metric', ...names.map((_, i) => runLabel(i)), ...others.map((i) => `${runLabel(i)} vs A`), 'better'];
    const rows = compareRows(level).map((r) => [
      r.metric.name,
      ...r.values.map((v) => fmtValue(r.metric, v)),
      ...others.map((i) => fmtDiff(r.metric, r.diffs[i]!)),
      bestLabel(r),
    ]);
    const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    const line = (cells: string[]) => '  ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    out.push('', level.label, line(head), ...rows.map(line));
    const missing = level.steps.map((s, i) => (s === null ? runLabel(i) : null)).filter((x) => x !== null);
    if (missing.length > 0) out.push(`  (not run at this level: ${missing.join(', ')})`);
  }
  return out.join('\n');
}
