import { isClientBound, type ClientHealth } from './client-health.js';
import type { Counters } from './counters.js';
import type { Slo } from './derive.js';
import { latencyStats, type LatencyStats } from './histogram.js';
import type { TokenSource } from './record.js';
import type { HistogramSet } from './recorder.js';
import type { ReplyLengths, ReplyLengthTally } from './reply-lengths.js';
import type { TurnTally, TurnsSummary } from './turns.js';

/** The load of one step as summary.json names it. */
export interface StepLoad {
  mode: 'closed' | 'open';
  parallel: number | null;
  rate: number | null;
  arrival: string | null;
}

/** Completions and tokens of one interval, for the steady-state window. */
export interface IntervalTally {
  /** Interval end, ms after the step's start. */
  endMs: number;
  started: number;
  completed: number;
  succeeded: number;
  inputTokens: number;
  outputTokens: number;
}

export interface StepSummary {
  load: StepLoad;
  window_s: number;
  requests: { total: number; succeeded: number; failed: number; by_class: Record<string, number> };
  tokens: { input_total: number; output_total: number; output_source: TokenSource };
  throughput: {
    requests_per_s: number;
    output_tokens_per_s: number;
    total_tokens_per_s: number;
    goodput_requests_per_s: number | null;
  };
  steady_state: { window_s: number; requests_per_s: number; output_tokens_per_s: number; total_tokens_per_s: number } | null;
  slo: { ttft_ms?: number; tpot_ms?: number; e2e_ms?: number; good: number; attainment: number } | null;
  concurrency: { mean: number; max: number };
  latency_ms: Record<string, LatencyStats | null>;
  /** Multi-turn runs (--turns): conversations and the tokens of first and later turns. */
  turns?: TurnsSummary;
  /** Replies counted against their max_tokens: how many stopped short (a server ignoring --ignore-eos shows here). */
  replies_vs_max_tokens?: ReplyLengths;
  /** The prompt lengths the step sent (count, mean, min, p50, p90, p99, max; how they were counted), when known. */
  prompt_tokens?: Record<string, unknown>;
  client: {
    workers: number;
    loop_delay_p99_ms: number;
    utilization_max: number;
    client_bound: boolean;
    /** CPU time of the whole evalperf process (all threads) during the step. */
    cpu_ms: number;
    cpu_us_per_request: number | null;
    cpu_us_per_event: number | null;
  };
}

/** Embeddings and rerank: requests that succeed and generate nothing; their throughput is input tokens. */
export function generatesNothing(s: Pick<StepSummary, 'tokens' | 'requests'>): boolean {
  return s.tokens.output_total === 0 && s.requests.succeeded > 0;
}

export interface StepInputs {
  load: StepLoad;
  counters: Counters;
  histograms: HistogramSet;
  intervals: readonly IntervalTally[];
  slo: Slo | null;
  workers: number;
  health: ClientHealth;
  cpuMs: number;
  /** Multi-turn: first- and later-turn TTFT (TurnTally). */
  turns?: TurnTally;
  replyLengths?: ReplyLengthTally;
}

const round = (x: number, digits = 3) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
const perSecond = (n: number, seconds: number) => (seconds > 0 ? round(n / seconds) : 0);

function dominantSource(sources: Partial<Record<TokenSource, number>>): TokenSource {
  let best: TokenSource = 'usage';
  let bestCount = -1;
  for (const [k, v] of Object.entries(sources) as [TokenSource, number][]) {
    if (v > bestCount) [best, bestCount] = [k, v];
  }
  return best;
}

/**
 * The steady state drops ramp-up and drain: it keeps the intervals after the one in which the
 * first request completed and before the one in which the last request was sent. Null when
 * that leaves less than a second.
 */
export function steadyState(intervals: readonly IntervalTally[], intervalMs: number): StepSummary['steady_state'] {
  const firstDone = intervals.findIndex((i) => i.completed > 0);
  let lastSend = -1;
  intervals.forEach((iv, k) => {
    if (iv.started > 0) lastSend = k;
  });
  if (firstDone < 0 || lastSend < 0) return null;
  const kept = intervals.slice(firstDone + 1, lastSend);
  const seconds = kept.reduce((s, iv, k) => s + (k === 0 ? intervalMs : iv.endMs - kept[k - 1]!.endMs), 0) / 1000;
  if (seconds < 1) return null;
  const sum = (f: (iv: IntervalTally) => number) => kept.reduce((s, iv) => s + f(iv), 0);
  const out = sum((iv) => iv.outputTokens);
  return {
    window_s: round(seconds),
    requests_per_s: perSecond(sum((iv) => iv.succeeded), seconds),
    output_tokens_per_s: perSecond(out, seconds),
    total_tokens_per_s: perSecond(out + sum((iv) => iv.inputTokens), seconds),
  };
}

export function summarizeStep(s: StepInputs, intervalMs: number): StepSummary {
  const c = s.counters;
  const windowMs = Number.isNaN(c.firstSentAt) || Number.isNaN(c.lastEndAt) ? 0 : c.lastEndAt - c.firstSentAt;
  const window = windowMs / 1000;
  const latency: Record<string, LatencyStats | null> = {
    ttft: latencyStats(s.histograms.ttft),
    tpot: latencyStats(s.histograms.tpot),
    itl: latencyStats(s.histograms.itl),
    e2e: latencyStats(s.histograms.e2e),
    queue: latencyStats(s.histograms.queue),
  };
  if (s.load.mode === 'open') {
    latency.ttft_from_schedule = latencyStats(s.histograms.ttftFromSchedule);
    latency.e2e_from_schedule = latencyStats(s.histograms.e2eFromSchedule);
  }
  // Servers that report their own timings (llama.cpp): what the client saw beyond them.
  if (s.histograms.serverPrompt.totalCount > 0) {
    latency.server_prompt = latencyStats(s.histograms.serverPrompt);
    latency.ttft_minus_server = latencyStats(s.histograms.ttftOverhead);
    latency.e2e_minus_server = latencyStats(s.histograms.e2eOverhead);
  }
  Object.assign(latency, s.turns?.latency());
  const turns = s.turns?.summary() ?? null;
  const replyLengths = s.replyLengths?.summary() ?? null;
  const slo =
    s.slo === null
      ? null
      : {
          ...(s.slo.ttft !== undefined && { ttft_ms: s.slo.ttft }),
          ...(s.slo.tpot !== undefined && { tpot_ms: s.slo.tpot }),
          ...(s.slo.e2e !== undefined && { e2e_ms: s.slo.e2e }),
          good: c.sloGood,
          // Failures count as misses: attainment is over every attempted request.
          attainment: c.completed > 0 ? round(c.sloGood / c.completed, 4) : 0,
        };
  return {
    load: s.load,
    window_s: round(window),
    requests: { total: c.completed, succeeded: c.succeeded, failed: c.failed, by_class: { ...c.byClass } },
    tokens: { input_total: c.inputTokens, output_total: c.outputTokens, output_source: dominantSource(c.tokenSources) },
    throughput: {
      requests_per_s: perSecond(c.succeeded, window),
      output_tokens_per_s: perSecond(c.outputTokens, window),
      total_tokens_per_s: perSecond(c.inputTokens + c.outputTokens, window),
      goodput_requests_per_s: s.slo === null ? null : perSecond(c.sloGood, window),
    },
    steady_state: steadyState(s.intervals, intervalMs),
    slo,
    concurrency: { mean: windowMs > 0 ? round(c.inFlightMs / windowMs, 2) : 0, max: c.inFlightMax },
    latency_ms: latency,
    ...(turns !== null && { turns }),
    ...(replyLengths !== null && { replies_vs_max_tokens: replyLengths }),
    client: {
      workers: s.workers,
      loop_delay_p99_ms: round(s.health.loopDelayP99Ms, 2),
      utilization_max: round(s.health.utilization, 3),
      client_bound: isClientBound(s.health),
      cpu_ms: round(s.cpuMs, 1),
      cpu_us_per_request: c.completed > 0 ? round((s.cpuMs * 1000) / c.completed, 1) : null,
      cpu_us_per_event: c.contentEvents > 0 ? round((s.cpuMs * 1000) / c.contentEvents, 2) : null,
    },
  };
}
