import { describe, expect, it } from 'vitest';
import { emptyCounters, mergeCounters, type Counters } from './counters.js';
import { rec } from './fixtures.test-util.js';
import { IntervalRecorder, createHistogramSet, unpackHistogramSet } from './recorder.js';
import { steadyState, summarizeStep, type IntervalTally } from './summary.js';

const closed = { mode: 'closed' as const, parallel: 2, rate: null, arrival: null };
const health = { loopDelayP99Ms: 1, utilization: 0.2 };

describe('summarizeStep', () => {
  it('computes window, throughput, goodput and concurrency from hand-made records', () => {
    // Two users; 4 requests of 1 s each, back to back: window 0..2000 ms.
    const r = new IntervalRecorder({ ttft: 100 }, 0);
    const reqs = [
      rec({ index: 0, scheduledAt: 0, sentAt: 0, firstTokenAt: 50, lastTokenAt: 950, endAt: 1000, outputTokens: 10, inputTokens: 100 }),
      rec({ index: 1, scheduledAt: 0, sentAt: 0, firstTokenAt: 150, lastTokenAt: 950, endAt: 1000, outputTokens: 10, inputTokens: 100 }),
      rec({ index: 2, scheduledAt: 1000, sentAt: 1000, firstTokenAt: 1050, lastTokenAt: 1950, endAt: 2000, outputTokens: 10, inputTokens: 100 }),
      rec({ index: 3, scheduledAt: 1000, sentAt: 1000, firstTokenAt: 1050, lastTokenAt: 1950, endAt: 2000, outputTokens: 10, inputTokens: 100, errorClass: 'http_5xx', status: 500 }),
    ];
    for (const q of reqs) r.onSent(q.sentAt);
    for (const q of reqs) r.addRecord(q, true, new Float64Array(0), 0);
    const { counters, histograms } = r.take(2000);
    const hist = createHistogramSet();
    for (const [k, v] of Object.entries(unpackHistogramSet(histograms))) hist[k as keyof typeof hist].add(v);
    const s = summarizeStep({ load: closed, counters, histograms: hist, intervals: [], slo: { ttft: 100 }, workers: 1, health, cpuMs: 8.8 }, 250);
    expect(s.window_s).toBe(2);
    expect(s.requests).toEqual({ total: 4, succeeded: 3, failed: 1, by_class: { http_5xx: 1 } });
    expect(s.tokens).toEqual({ input_total: 300, output_total: 30, output_source: 'usage' });
    expect(s.throughput).toEqual({ requests_per_s: 1.5, output_tokens_per_s: 15, total_tokens_per_s: 165, goodput_requests_per_s: 1 });
    expect(s.slo).toEqual({ ttft_ms: 100, good: 2, attainment: 0.5 });
    const ttft = s.latency_ms.ttft!;
    expect(ttft.count).toBe(3);
    // HDR values are the top of their bucket: within 0.1% at 3 significant digits.
    expect(Math.abs(ttft.p50 - 50)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(ttft.max - 150)).toBeLessThanOrEqual(0.15);
    // TPOT = (last - first) / (tokens - 1): 900/9, 800/9, 900/9.
    expect(s.latency_ms.tpot!.count).toBe(3);
    expect(s.latency_ms.tpot!.mean).toBeCloseTo((100 + 800 / 9 + 100) / 3, 1);
    expect(s.latency_ms.ttft_from_schedule).toBeUndefined();
    expect(s.concurrency).toEqual({ mean: 4 / 2, max: 4 });
    // 8.8 ms of CPU over 4 requests of 11 content events each: 2,200 us a request, 200 us an event.
    expect(s.client).toEqual({ workers: 1, loop_delay_p99_ms: 1, utilization_max: 0.2, client_bound: false, cpu_ms: 8.8, cpu_us_per_request: 2200, cpu_us_per_event: 200 });
  });

  it('an empty step has a zero window and null latencies, open loop adds the from-schedule rows', () => {
    const s = summarizeStep(
      { load: { mode: 'open', parallel: null, rate: 5, arrival: 'poisson' }, counters: emptyCounters(), histograms: createHistogramSet(), intervals: [], slo: null, workers: 1, health: { loopDelayP99Ms: 30, utilization: 0.1 }, cpuMs: 0 },
      250,
    );
    expect(s.window_s).toBe(0);
    expect(s.throughput.requests_per_s).toBe(0);
    expect(s.latency_ms.ttft).toBeNull();
    expect(s.latency_ms).toHaveProperty('ttft_from_schedule', null);
    expect(s.client.client_bound).toBe(true);
    expect(s.client.cpu_us_per_request).toBeNull();
    expect(s.slo).toBeNull();
  });
});

describe('steadyState', () => {
  const tally = (k: number, started: number, completed: number, tokens = completed * 10): IntervalTally => ({
    endMs: (k + 1) * 250,
    started,
    completed,
    succeeded: completed,
    inputTokens: 0,
    outputTokens: tokens,
  });
  it('drops the ramp-up (up to the first completion) and the drain (from the last send)', () => {
    // Intervals 0-1 ramp up, 2 first completions, 3-10 steady (4 done each), 11 last sends, 12 drain.
    const ivs = [tally(0, 8, 0), tally(1, 0, 0), tally(2, 2, 2), ...Array.from({ length: 8 }, (_, i) => tally(3 + i, 4, 4)), tally(11, 1, 4), tally(12, 0, 3)];
    expect(steadyState(ivs, 250)).toEqual({ window_s: 2, requests_per_s: 16, output_tokens_per_s: 160, total_tokens_per_s: 160 });
  });
  it('is null when less than a second remains', () => {
    expect(steadyState([tally(0, 4, 0), tally(1, 4, 4), tally(2, 4, 4), tally(3, 0, 4)], 250)).toBeNull();
    expect(steadyState([], 250)).toBeNull();
  });
});

describe('mergeCounters', () => {
  const a = (): Counters => ({ ...emptyCounters(), started: 2, completed: 1, byClass: { reset: 1 }, firstSentAt: 5, lastEndAt: 50, inFlightMax: 3, inFlightNow: 2, inFlightMs: 10 });
  const b = (): Counters => ({ ...emptyCounters(), started: 1, completed: 2, byClass: { reset: 2, timeout: 1 }, firstSentAt: 3, lastEndAt: 40, inFlightMax: 4, inFlightNow: 1, inFlightMs: 5 });
  it('same interval (two workers): counts at the end add up; the max of run-wide readings is a max', () => {
    expect(mergeCounters(a(), b(), true)).toMatchObject({ started: 3, completed: 3, byClass: { reset: 3, timeout: 1 }, firstSentAt: 3, lastEndAt: 50, inFlightMax: 4, inFlightNow: 3, inFlightMs: 15 });
  });
  it('successive intervals: the max is kept and "now" is the later one', () => {
    expect(mergeCounters(a(), b(), false)).toMatchObject({ inFlightMax: 4, inFlightNow: 1, inFlightMs: 15 });
  });
  it('NaN times mean "never" and do not poison min/max', () => {
    expect(mergeCounters(emptyCounters(), b(), false)).toMatchObject({ firstSentAt: 3, lastEndAt: 40 });
  });
});
