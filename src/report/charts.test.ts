import { describe, expect, it } from 'vitest';
import { hdrChart, hdrGrid, hdrValues, levelCharts, loadLabel, timeCharts } from './charts.js';
import { savedStep, series, spreadHistogram, stats } from './fixtures.test-util.js';

describe('chart data', () => {
  it('an HDR grid has 10 points a decade of 1/(1-p) and reaches the largest count', () => {
    const g = hdrGrid(100);
    expect(g[0]).toBe(1);
    expect(g[10]).toBe(10);
    expect(g.at(-1)).toBe(100);
    expect(g).toHaveLength(21);
  });

  it('an HDR curve climbs with the percentile and ends at the max where the count runs out', () => {
    const h = spreadHistogram(1000, 1, 100);
    const g = hdrGrid(10_000);
    const v = hdrValues(h, g);
    expect(v[0]).toBeCloseTo(1, 2); // p0: the minimum
    expect(v[3]).toBeCloseTo(50.5, 0); // x = 10^0.3 ~ 2: the median
    expect(v[10]).toBeCloseTo(90.1, 0); // x = 10: p90
    const last = v.findIndex((x) => x === null) - 1;
    expect(g[last]).toBeGreaterThanOrEqual(1000);
    expect(v[last]).toBeCloseTo(100, 1);
    expect(v.slice(last + 1).every((x) => x === null)).toBe(true);
  });

  it('an HDR chart leaves out empty histograms and is null when none has data', () => {
    expect(hdrChart('x', [{ label: 'a', color: 0, h: undefined }])).toBeNull();
    const c = hdrChart('TTFT', [{ label: 'a', color: 0, h: spreadHistogram(50, 1, 2) }, { label: 'b', color: 1, h: undefined }])!;
    expect(c.series.map((s) => s.label)).toEqual(['a']);
    expect(c).toMatchObject({ kind: 'hdr', xLog: true, yLog: true });
  });

  it('time charts overlay steps on one x axis, padding the shorter one', () => {
    const charts = timeCharts([
      { label: 's1', color: 0, s: series(3) },
      { label: 's2', color: 1, s: series(5) },
    ]);
    expect(charts.map((c) => c.title)).toEqual(['Output tokens/s, per second', 'Successful requests/s, per second', 'Requests in flight (mean)', 'TTFT p50 (solid) and p99 (dashed)', 'Failed requests/s, per second']);
    expect(charts[0]!.x).toEqual([0, 1, 2, 3, 4]);
    expect(charts[0]!.series[0]!.values).toEqual([1200, 1201, 1202, null, null]);
    expect(charts[3]!.series.map((s) => s.label)).toEqual(['s1 p50', 's1 p99', 's2 p50', 's2 p99']);
  });

  it('level charts sort the load levels and leave a run’s missing level empty', () => {
    const out = (p: number) => ({ ...savedStep().throughput, output_tokens_per_s: p * 100 });
    const a = [savedStep(16, { throughput: out(16) }), savedStep(1, { throughput: out(1) }), savedStep(64, { throughput: out(20) })];
    const b = [savedStep(1, { throughput: out(1.5), latency_ms: { ttft: stats(99) } })];
    const [tput, knee, ttft] = levelCharts([
      { label: 'A', color: 0, steps: a },
      { label: 'B', color: 1, steps: b },
    ]);
    expect(tput!.x).toEqual([1, 16, 64]);
    expect(tput!.xLog).toBe(true);
    expect(ttft!.series[2]).toMatchObject({ label: 'B p50', values: [99, null, null] });
    // Latency against throughput: x is every run's throughput, each run has points at its own.
    expect(knee).toMatchObject({ kind: 'knee', x: [100, 150, 1600, 2000] });
    expect(knee!.series.map((s) => [s.label, s.values])).toEqual([
      ['A TTFT p50', [61.5, null, 61.5, 61.5]],
      ['A TTFT p99', [123, null, 123, 123]],
      ['B TTFT p50', [null, 99, null, null]],
      ['B TTFT p99', [null, 198, null, null]],
    ]);
    expect(levelCharts([{ label: '', color: 0, steps: [savedStep(8)] }])).toEqual([]);
  });

  it.each([
    [{ mode: 'closed', parallel: 8, rate: null, arrival: null }, '8 parallel'],
    [{ mode: 'open', parallel: null, rate: 5, arrival: 'poisson' }, '5 req/s poisson'],
    [{ mode: 'open', parallel: 16, rate: 2.5, arrival: 'gamma:0.5' }, '2.5 req/s gamma:0.5, cap 16'],
  ] as const)('load %j is labelled %s', (load, want) => {
    expect(loadLabel(load)).toBe(want);
  });
});
