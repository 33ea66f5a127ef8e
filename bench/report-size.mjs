// node bench/report-size.mjs [--requests 200000] [--keep]: report.html size and render time on
// a big run. Synthesizes a run folder (run.json, requests.jsonl, intervals.jsonl, summary.json,
// histograms.json) with the project's own metric code: a closed loop of 256 users, 128 output
// tokens a request, 1% failures. No load is sent. Then times `evalperf report` on the folder
// as it is, and again with only run.json + requests.jsonl left (the rebuild). Needs dist/.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyCounters, mergeCounters } from '../dist/metrics/counters.js';
import { percentileMs } from '../dist/metrics/histogram.js';
import { recordToJsonLine } from '../dist/metrics/record.js';
import { IntervalRecorder, LATENCY_METRICS, createHistogramSet, encodeHistogramSet, unpackHistogramSet } from '../dist/metrics/recorder.js';
import { summarizeStep } from '../dist/metrics/summary.js';

const args = process.argv.slice(2);
const N = Number(args[args.indexOf('--requests') + 1]) || 200_000;
const USERS = 256;
const TOKENS = 128;
const INTERVAL_MS = 250;
const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

// Deterministic pseudo-random numbers (mulberry32), so every run of the benchmark is the same folder.
let seed = 42;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const lognormal = (median, sigma) => median * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));

/** One request of a user who sends at `t`: times, tokens, gaps between content events. */
function request(index, t) {
  const failed = rand() < 0.01;
  const ttft = lognormal(180, 0.4);
  const gaps = new Float64Array(TOKENS - 1).map(() => lognormal(22, 0.25));
  const decode = gaps.reduce((a, b) => a + b, 0);
  const queue = rand() * 0.5;
  const sent = t + queue;
  const r = {
    step: 0, index, worker: 0, scheduledAt: t, sentAt: sent, headersAt: sent + ttft * 0.8, firstTokenAt: sent + ttft,
    lastTokenAt: sent + ttft + decode, endAt: sent + ttft + decode + 0.3, inputTokens: 512, outputTokens: TOKENS,
    tokenSource: 'usage', contentEvents: TOKENS, status: 200, errorClass: null, errorMessage: null,
  };
  if (failed) Object.assign(r, { status: 503, errorClass: 'http_5xx', errorMessage: `upstream overloaded (queue ${index % 7})`, firstTokenAt: NaN, lastTokenAt: NaN, endAt: sent + ttft, outputTokens: 0, contentEvents: 0 });
  return { r, gaps: failed ? new Float64Array(0) : gaps };
}

function synthesize(dir) {
  const requests = openSync(join(dir, 'requests.jsonl'), 'w');
  const intervals = openSync(join(dir, 'intervals.jsonl'), 'w');
  const recorder = new IntervalRecorder(null, 0);
  const cumulative = createHistogramSet();
  const counters = [];
  const tallies = [];
  // Each user's next send time; the earliest goes next (a closed loop in time order).
  const next = Array.from({ length: USERS }, (_, u) => u * 3);
  const ends = []; // [endAt, record, gaps], kept small: at most USERS in flight
  let sent = 0;
  let interval = 0;
  let lines = [];
  const closeInterval = (until) => {
    while ((interval + 1) * INTERVAL_MS <= until) {
      const endMs = (interval + 1) * INTERVAL_MS;
      const { counters: c, histograms: packed } = recorder.take(endMs);
      const histograms = unpackHistogramSet(packed);
      const ttft = histograms.ttft ?? null;
      for (const m of LATENCY_METRICS) if (histograms[m]) cumulative[m].add(histograms[m]);
      counters.push(c);
      tallies.push({ endMs, started: c.started, completed: c.completed, succeeded: c.succeeded, inputTokens: c.inputTokens, outputTokens: c.outputTokens });
      const p = (q) => (ttft ? percentileMs(ttft, q) : null);
      writeSync(intervals, JSON.stringify({ step: 0, interval, t_s: endMs / 1000, started: c.started, completed: c.completed, succeeded: c.succeeded, failed: c.failed, output_tokens: c.outputTokens, in_flight: c.inFlightNow, queued: 0, ttft_ms: { p50: p(50), p90: p(90), p99: p(99) }, loop_delay_p99_ms: 2.1, utilization: 0.3 }) + '\n');
      writeSync(requests, lines.join(''));
      lines = [];
      interval++;
    }
  };
  while (sent < N || ends.length > 0) {
    const u = next.indexOf(Math.min(...next));
    const sendAt = sent < N ? next[u] : Infinity;
    ends.sort((a, b) => a[0] - b[0]);
    if (ends.length > 0 && ends[0][0] <= sendAt) {
      const [endAt, r, gaps, user] = ends.shift();
      closeInterval(endAt);
      recorder.addRecord(r, true, gaps, gaps.length);
      lines.push(recordToJsonLine(r, 0) + '\n');
      next[user] = endAt + 0.2;
      continue;
    }
    closeInterval(sendAt);
    const { r, gaps } = request(sent++, sendAt);
    recorder.onSent(r.sentAt);
    ends.push([r.endAt, r, gaps, u]);
    next[u] = Infinity;
  }
  closeInterval((interval + 1) * INTERVAL_MS);
  closeSync(requests);
  closeSync(intervals);
  const total = emptyCounters();
  for (const c of counters) mergeCounters(total, c, false);
  const load = { mode: 'closed', parallel: USERS, rate: null, arrival: null };
  const step = summarizeStep({ load, counters: total, histograms: cumulative, intervals: tallies, slo: null, workers: 1, health: { loopDelayP99Ms: 2.1, utilization: 0.3 }, cpuMs: 0 }, INTERVAL_MS);
  const tool = { name: 'evalperf', version: 'bench' };
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ schema: 'evalperf.run/1', tool, started_at: new Date(0).toISOString(), target: { url: 'http://bench.invalid/v1', model: 'bench-model', api: 'chat', simulated: false }, request: { api: 'chat', maxTokens: TOKENS, stream: true, input_tokens: 512 }, load: [{ ...load, number: N, durationMs: null }], workers: 1, slo: null, seed: 1 }));
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({ schema: 'evalperf.summary/1', tool, target: { url: 'http://bench.invalid/v1', model: 'bench-model', api: 'chat' }, started_at: new Date(0).toISOString(), ended_at: new Date(step.window_s * 1000).toISOString(), stopped: 'no', steps: [step] }, null, 2));
  writeFileSync(join(dir, 'histograms.json'), JSON.stringify({ schema: 'evalperf.histograms/1', steps: [{ step: 0, ...encodeHistogramSet(cumulative) }] }));
  return step;
}

/** `evalperf report` on the folder: wall time, and the child's peak memory from an exit hook. */
function report(dir) {
  const hook = 'data:text/javascript,process.on("exit",()=>process.stderr.write("maxrss_kb="+process.resourceUsage().maxRSS+"\\n"))';
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--import', hook, CLI, 'report', dir, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`evalperf report exited ${r.status}: ${r.stderr}`);
  return { seconds: +(ms / 1000).toFixed(2), report_kb: Math.round(statSync(join(dir, 'report.html')).size / 1024), peak_rss_mb: Math.round(Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1]) / 1024) };
}

const dir = mkdtempSync(join(tmpdir(), 'evalperf-report-size-'));
try {
  const t0 = performance.now();
  const step = synthesize(dir);
  const mb = (f) => +(statSync(join(dir, f)).size / 2 ** 20).toFixed(1);
  console.log(`synthesized ${N} requests (${step.window_s} s of a ${USERS}-user closed loop) in ${((performance.now() - t0) / 1000).toFixed(1)} s: requests.jsonl ${mb('requests.jsonl')} MB, intervals.jsonl ${mb('intervals.jsonl')} MB`);
  const rows = { 'from the saved files': report(dir) };
  for (const f of ['summary.json', 'histograms.json', 'intervals.jsonl', 'report.html']) unlinkSync(join(dir, f));
  rows['rebuilt from requests.jsonl'] = report(dir);
  console.table(rows);
} finally {
  if (args.includes('--keep')) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
