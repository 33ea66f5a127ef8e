import { describe, expect, it } from 'vitest';
import { rec } from '../metrics/fixtures.test-util.js';
import { IntervalSeriesBuilder, RecordSeriesBuilder, coarsen, type IntervalLine } from './series.js';

const iv = (t_s: number, over: Partial<IntervalLine> = {}): IntervalLine => ({ step: 0, t_s, succeeded: 2, failed: 0, output_tokens: 100, in_flight: 4, ttft_ms: { p50: 50, p99: 80 }, ...over });

describe('per-second series', () => {
  it('sums four 250 ms intervals into a second, and rates a short last second by its length', () => {
    const b = new IntervalSeriesBuilder();
    [0.25, 0.5, 0.75, 1].forEach((t) => b.add(iv(t)));
    b.add(iv(1.25, { succeeded: 1, output_tokens: 50, in_flight: 2 }));
    const [s] = b.finish();
    expect(s!.t).toEqual([0, 1]);
    expect(s!.requestsPerS).toEqual([8, 4]);
    expect(s!.outputTokensPerS).toEqual([400, 200]);
    expect(s!.inFlight).toEqual([4, 2]);
  });

  it('weights TTFT p50 by completions and keeps the highest p99; a second without TTFT is null', () => {
    const b = new IntervalSeriesBuilder();
    b.add(iv(0.25, { succeeded: 3, ttft_ms: { p50: 40, p99: 60 } }));
    b.add(iv(0.5, { succeeded: 1, ttft_ms: { p50: 80, p99: 200 } }));
    b.add(iv(1.25, { succeeded: 0, ttft_ms: { p50: null, p99: null } }));
    const [s] = b.finish();
    expect(s!.ttftP50).toEqual([50, null]);
    expect(s!.ttftP99).toEqual([200, null]);
  });

  it('fills silent seconds and keeps steps apart', () => {
    const b = new IntervalSeriesBuilder();
    b.add(iv(1));
    b.add(iv(3.25, { failed: 4 }));
    b.add(iv(0.25, { step: 1 }));
    const [a, c] = b.finish();
    expect(a!.t).toEqual([0, 1, 2, 3]);
    expect(a!.requestsPerS).toEqual([2, 0, 0, 8]);
    expect(a!.errorsPerS).toEqual([0, 0, 0, 16]);
    expect(c!.t).toEqual([0]);
  });

  it('from records: completions where they end, in flight as each request’s share of the second', () => {
    const b = new RecordSeriesBuilder();
    b.add(rec({ sentAt: 0, endAt: 1500, outputTokens: 10 }));
    b.add(rec({ sentAt: 500, endAt: 2000, outputTokens: 10, errorClass: 'http_5xx' }));
    const [s] = b.finish();
    expect(s!.t).toEqual([0, 1, 2]);
    expect(s!.requestsPerS[1]).toBe(1);
    expect(s!.outputTokensPerS[1]).toBe(10);
    expect(s!.inFlight.slice(0, 2)).toEqual([1.5, 1.5]);
    expect(s!.ttftP50).toEqual([null, null, null]);
  });

  it('coarsens a long series: means of rates, highest p99', () => {
    const b = new IntervalSeriesBuilder();
    for (let k = 1; k <= 16; k++) b.add(iv(k * 0.25, { ttft_ms: { p50: 50, p99: 80 + k } }));
    const s = coarsen(b.finish()[0]!, 2);
    expect(s.bucketS).toBe(2);
    expect(s.t).toEqual([0, 2]);
    expect(s.requestsPerS).toEqual([8, 8]);
    expect(s.ttftP99).toEqual([88, 96]);
  });
});
