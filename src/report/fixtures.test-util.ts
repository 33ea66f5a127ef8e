import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHistogram, recordMs, type Histogram } from '../metrics/histogram.js';
import type { LatencyStats } from '../metrics/histogram.js';
import type { RunData, SavedStep, StepSeries } from './saved-run.js';

/** Strings that would run script if any renderer let them through unescaped. */
export const HOSTILE_SCRIPT = '<script>window.__pwned=1</script>';
export const HOSTILE_ATTR = '"><img src=x onerror="window.__pwned=1">';
export const HOSTILE = `${HOSTILE_SCRIPT}${HOSTILE_ATTR}</script><!--`;

export const stats = (p50: number, over: Partial<LatencyStats> = {}): LatencyStats => ({
  count: 100,
  mean: p50 * 1.05,
  stdev: p50 / 10,
  p50,
  p90: p50 * 1.5,
  p95: p50 * 1.7,
  p99: p50 * 2,
  p999: p50 * 2.5,
  max: p50 * 3,
  ...over,
});

/** A closed-loop step at `parallel` users with round, recognisable figures. */
export function savedStep(parallel = 8, over: Partial<SavedStep> = {}): SavedStep {
  return {
    load: { mode: 'closed', parallel, rate: null, arrival: null },
    window_s: 10,
    requests: { total: 100, succeeded: 98, failed: 2, by_class: { http_5xx: 2 } },
    tokens: { input_total: 12800, output_total: 12544, output_source: 'usage' },
    throughput: { requests_per_s: 9.8, output_tokens_per_s: 1254.4, total_tokens_per_s: 2534.4, goodput_requests_per_s: null },
    steady_state: { window_s: 8, requests_per_s: 10, output_tokens_per_s: 1280, total_tokens_per_s: 2560 },
    slo: null,
    concurrency: { mean: 7.9, max: parallel },
    latency_ms: { ttft: stats(61.5), tpot: stats(10.25), itl: stats(10.5, { count: 12000 }), e2e: stats(1400), queue: stats(1.5) },
    client: { workers: 1, loop_delay_p99_ms: 4.9, utilization_max: 0.05, client_bound: false, cpu_ms: 900, cpu_us_per_request: 9000, cpu_us_per_event: 70 },
    ...over,
  };
}

/** A histogram of `n` values spread evenly from `lo` to `hi` ms. */
export function spreadHistogram(n: number, lo: number, hi: number): Histogram {
  const h = createHistogram();
  for (let i = 0; i < n; i++) recordMs(h, lo + ((hi - lo) * i) / Math.max(1, n - 1));
  return h;
}

export function series(seconds: number, over: Partial<StepSeries> = {}): StepSeries {
  const t = Array.from({ length: seconds }, (_, i) => i);
  return {
    bucketS: 1,
    t,
    requestsPerS: t.map(() => 9.8),
    outputTokensPerS: t.map((i) => 1200 + i),
    inFlight: t.map(() => 8),
    errorsPerS: t.map((i) => (i === 3 ? 2 : 0)),
    ttftP50: t.map(() => 61.5),
    ttftP99: t.map(() => 123),
    source: 'intervals',
    ...over,
  };
}

/** Everything a report needs for `steps` steps, as if read from a run folder. */
export function runData(steps: SavedStep[] = [savedStep()], over: Partial<RunData> = {}): RunData {
  return {
    dir: '/runs/r1',
    run: { schema: 'evalperf.run/1', host: { name: 'bench-host', platform: 'linux', arch: 'x64', cpus: 2 }, node: 'v20.20.2', request: { api: 'chat', maxTokens: 128, stream: true, input_tokens: 128 }, seed: 1, workers: 1 },
    summary: { schema: 'evalperf.summary/1', tool: { name: 'evalperf', version: '0.1.0' }, target: { url: 'http://gpu:8000/v1', model: 'llama-3-8b', api: 'chat' }, started_at: '2026-01-01T00:00:00.000Z', ended_at: '2026-01-01T00:00:10.000Z', stopped: 'no', steps },
    histograms: steps.map((_, i) => ({ ttft: spreadHistogram(100, 40 + 10 * i, 90 + 20 * i), tpot: spreadHistogram(100, 9, 12), itl: spreadHistogram(2000, 5, 40), e2e: spreadHistogram(100, 1300, 1500) })),
    series: steps.map(() => series(10)),
    errors: [{ errorClass: 'http_5xx', count: 2, byStep: { 0: 2 }, examples: [{ step: 0, index: 17, status: 503, message: 'upstream overloaded' }] }],
    rebuilt: false,
    accuracy: null,
    notes: [],
    ...over,
  };
}

/** One requests.jsonl line (Output contract) with times in ms; override what a case needs. */
export function recordLine(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { step: 0, index: 0, worker: 0, scheduled_at: 0, sent_at: 0, headers_at: 10, first_token_at: 50, last_token_at: 950, end_at: 1000, input_tokens: 100, output_tokens: 10, token_source: 'usage', content_events: 10, status: 200, error_class: null, error: null, ...over };
}

/** A run folder of hand-made files; `undefined` leaves a file out, a string is written as it is. */
export function writeRunFolder(dir: string, files: Record<string, unknown>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    if (content === undefined) continue;
    const text = typeof content === 'string' ? content : name.endsWith('.jsonl') ? (content as unknown[]).map((l) => JSON.stringify(l) + '\n').join('') : JSON.stringify(content);
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** run.json for a rebuild: a closed loop per entry of `parallel`. */
export const runJson = (parallel: number[] = [2], extra: Record<string, unknown> = {}) => ({
  schema: 'evalperf.run/1',
  tool: { name: 'evalperf', version: '0.1.0' },
  started_at: '2026-01-01T00:00:00.000Z',
  target: { url: 'http://gpu:8000/v1', model: 'llama', api: 'chat', simulated: false },
  load: parallel.map((p) => ({ mode: 'closed', parallel: p, rate: null, arrival: null, number: 4, durationMs: null })),
  workers: 1,
  slo: null,
  ...extra,
});
