import { describe, expect, it } from 'vitest';
import { rec } from './fixtures.test-util.js';
import { latencyStats } from './histogram.js';
import { IntervalRecorder, unpackHistogramSet } from './recorder.js';

const gaps = (xs: number[]) => Float64Array.from(xs);

describe('IntervalRecorder', () => {
  it('records successes into histograms and keeps failures out of them', () => {
    const r = new IntervalRecorder({ ttft: 60 }, 0);
    r.onSent(101);
    r.addRecord(rec(), true, gaps([10, 10, 20]), 3);
    r.onSent(101);
    r.addRecord(rec({ index: 1, firstTokenAt: 191, errorClass: 'protocol', errorMessage: 'cut', outputTokens: 3, contentEvents: 3 }), true, gaps([500, 500]), 2);
    const { counters, histograms, records } = r.take(300);
    expect(records).toHaveLength(2);
    expect(counters).toMatchObject({ started: 2, completed: 2, succeeded: 1, failed: 1, byClass: { protocol: 1 }, outputTokens: 11, inputTokens: 50, sloGood: 1 });
    const ttft = latencyStats(unpackHistogramSet(histograms).ttft!)!;
    expect(ttft.count).toBe(1);
    // HDR reports the top of the value's bucket: 3 significant digits, within 0.1%.
    expect(Math.abs(ttft.p50 - 50)).toBeLessThanOrEqual(0.05);
    const itl = latencyStats(unpackHistogramSet(histograms).itl!)!;
    expect(itl.count).toBe(3);
    expect(itl.max).toBeCloseTo(20, 1);
  });

  it('integrates requests in flight over time and starts the next interval with what is still in flight', () => {
    const r = new IntervalRecorder(null, 0);
    r.onSent(0);
    r.onSent(100);
    r.addRecord(rec({ sentAt: 0, endAt: 200 }), true, gaps([]), 0);
    const first = r.take(400).counters; // 1 in flight 0-100, 2 in flight 100-200, 1 in flight 200-400
    expect(first.inFlightMs).toBe(100 + 200 + 200);
    expect(first).toMatchObject({ inFlightMax: 2, inFlightNow: 1 });
    const second = r.take(500).counters;
    expect(second).toMatchObject({ inFlightMs: 100, inFlightMax: 1, started: 0 });
  });

  it('with server timings, records the server prefill and what the client saw beyond the server', () => {
    const r = new IntervalRecorder(null, 0);
    r.onSent(101);
    // TTFT 50, E2E 151; the server says prefill 40 ms and generation 100 ms.
    r.addRecord(rec({ serverPromptMs: 40, serverPredictedMs: 100 }), true, new Float64Array(0), 0);
    const h = unpackHistogramSet(r.take(300).histograms);
    expect(latencyStats(h.serverPrompt!)!.p50).toBeCloseTo(40, 1);
    expect(latencyStats(h.ttftOverhead!)!.p50).toBeCloseTo(10, 1);
    expect(latencyStats(h.e2eOverhead!)!.p50).toBeCloseTo(11, 1);
  });

  it('takes the max from the run-wide gauge, which other workers move too', () => {
    let shared = 5; // five requests in flight in other workers
    const gauge = { add: (d: number) => (shared += d), read: () => shared };
    const r = new IntervalRecorder(null, 0, false, gauge);
    r.onSent(0);
    r.onSent(1);
    expect(shared).toBe(7);
    r.addRecord(rec({ sentAt: 0, endAt: 10 }), true, new Float64Array(0), 0);
    expect(shared).toBe(6);
    expect(r.take(20).counters).toMatchObject({ inFlightMax: 7, inFlightNow: 1 });
    expect(r.take(30).counters.inFlightMax).toBe(6);
  });

  it('a request that never reached a socket is a failure but never counted in flight', () => {
    const r = new IntervalRecorder(null, 0);
    r.addRecord(rec({ sentAt: NaN, headersAt: NaN, firstTokenAt: NaN, lastTokenAt: NaN, errorClass: 'connect', status: 0 }), false, gaps([]), 0);
    const c = r.take(10).counters;
    expect(c).toMatchObject({ failed: 1, byClass: { connect: 1 }, inFlightMs: 0, started: 0 });
  });

  it('live output tokens follow events and are corrected to usage at the end', () => {
    const r = new IntervalRecorder(null, 0);
    r.onSent(0);
    for (let i = 0; i < 5; i++) r.onContentEvent();
    r.addRecord(rec({ contentEvents: 5, outputTokens: 12 }), true, gaps([]), 0);
    expect(r.take(10).counters.liveOutputTokens).toBe(12);
  });
});
