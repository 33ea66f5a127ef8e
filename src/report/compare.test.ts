import { describe, expect, it } from 'vitest';
import { best, bestLabel, compareRows, diff, fmtDiff, matchLevels, renderCompareTable, COMPARE_METRICS } from './compare.js';
import { savedStep, stats } from './fixtures.test-util.js';

const metric = (name: string) => COMPARE_METRICS.find((m) => m.name === name)!;

describe('compare', () => {
  it.each([
    // base, value, direction -> abs, pct, verdict
    [100, 80, 'lower', -20, -20, 'better'],
    [100, 120, 'lower', 20, 20, 'worse'],
    [100, 120, 'higher', 20, 20, 'better'],
    [50, 40, 'higher', -10, -20, 'worse'],
    [100, 100.5, 'lower', 0.5, 0.5, 'same'],
    [0, 3, 'higher', 3, null, 'better'],
    [7.9, 8.4, null, 0.5, 6.329, null],
  ] as const)('%d -> %d (%s is better): %d, %d%%, %s', (base, value, better, abs, pct, verdict) => {
    const d = diff(base, value, better);
    expect(d.abs).toBeCloseTo(abs, 6);
    if (pct === null) expect(d.pct).toBeNull();
    else expect(d.pct).toBeCloseTo(pct, 2);
    expect(d.verdict).toBe(verdict);
  });

  it('a missing value has no difference', () => {
    expect(diff(null, 3, 'lower')).toEqual({ abs: null, pct: null, verdict: null });
  });

  it.each([
    [[10, 20, 30], 'lower', [0], 'A'],
    [[10, 20, 30], 'higher', [2], 'C'],
    [[10, 30, 10.05], 'lower', [0, 2], 'A, C'],
    [[10, 10.05, null], 'lower', [0, 1], 'same'],
    [[10, null], 'lower', [], ''],
    [[1, 2], null, [], ''],
  ] as const)('best of %j (%s is better) is %j', (values, better, want, label) => {
    expect(best(values, better)).toEqual(want);
    expect(bestLabel({ values, best: best(values, better) })).toBe(label);
  });

  it('matches steps by mode and level, whatever their order in each run', () => {
    const a = [savedStep(1), savedStep(8)];
    const b = [savedStep(8), savedStep(32), { ...savedStep(4), load: { mode: 'open' as const, parallel: null, rate: 4, arrival: 'poisson' } }];
    const levels = matchLevels([a, b]);
    expect(levels.map((l) => l.label)).toEqual(['closed loop, 1 parallel', 'closed loop, 8 parallel', 'closed loop, 32 parallel', 'open loop, 4 req/s poisson']);
    expect(levels[1]!.steps).toEqual([a[1], b[0]]);
    expect(levels[0]!.steps[1]).toBeNull();
  });

  it('rows carry the values, differences against A and the better run', () => {
    const a = savedStep(8);
    const b = savedStep(8, { latency_ms: { ...a.latency_ms, ttft: stats(50) }, throughput: { ...a.throughput, output_tokens_per_s: 1000 } });
    const rows = compareRows(matchLevels([[a], [b]])[0]!);
    const ttft = rows.find((r) => r.metric.name === 'TTFT p50 ms')!;
    expect(ttft.values).toEqual([61.5, 50]);
    expect(ttft.diffs[1]).toMatchObject({ verdict: 'better' });
    expect(ttft.best).toEqual([1]);
    const tput = rows.find((r) => r.metric.name === 'output tokens/s')!;
    expect(tput.diffs[1]!.verdict).toBe('worse');
    expect(tput.best).toEqual([0]);
    expect(fmtDiff(metric('output tokens/s'), tput.diffs[1]!)).toBe('-254.4 (-20.3%)');
    expect(fmtDiff(metric('success rate'), diff(0.98, 0.95, 'higher'))).toBe('-3.00 pt');
    // Goodput was not measured (no --slo): the row is left out.
    expect(rows.some((r) => r.metric.name === 'goodput req/s')).toBe(false);
  });

  it('renders a terminal table per level naming the runs', () => {
    const a = savedStep(8);
    const b = savedStep(8, { latency_ms: { ...a.latency_ms, ttft: stats(50) } });
    const t = renderCompareTable(['runs/a', 'runs/b'], matchLevels([[a, savedStep(2)], [b]]));
    expect(t).toContain('A = runs/a\nB = runs/b');
    expect(t).toMatch(/closed loop, 8 parallel\n\s+metric\s+A\s+B\s+B vs A\s+better/);
    expect(t).toMatch(/TTFT p50 ms\s+61\.5\s+50\s+-11\.5 \(-18\.7%\)\s+B/);
    expect(t).toMatch(/requests\/s\s+9\.8\s+9\.8\s+±0 \(±0\.0%\)\s+same/);
    expect(t).toContain('(not run at this level: B)');
  });
});
