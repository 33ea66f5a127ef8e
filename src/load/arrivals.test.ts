import { describe, expect, it } from 'vitest';
import { WorkerArrivals, interArrivalMs, parseArrival, formatArrival, type ArrivalSpec } from './arrivals.js';
import { createRng } from './rng.js';

function gaps(spec: ArrivalSpec, rate: number, n: number, seed = 42): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => interArrivalMs(rng, rate, spec));
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
};

describe('parseArrival', () => {
  it.each([
    ['poisson', { kind: 'poisson' }],
    ['constant', { kind: 'constant' }],
    ['gamma', { kind: 'gamma', burstiness: 1 }],
    ['gamma:0.5', { kind: 'gamma', burstiness: 0.5 }],
    [' Gamma:4 ', { kind: 'gamma', burstiness: 4 }],
  ])('%s', (text, spec) => {
    expect(parseArrival(text)).toEqual(spec);
    expect(parseArrival(formatArrival(spec as ArrivalSpec))).toEqual(spec);
  });
  it.each(['uniform', 'gamma:0', 'gamma:-1', 'gamma:x', 'poisson:2', 'gamma:1:2', ''])('rejects %j', (text) => {
    expect(() => parseArrival(text)).toThrow(/--arrival/);
  });
});

describe('inter-arrival gaps', () => {
  const n = 200_000;
  it('constant: exact spacing of 1000/rate ms', () => {
    expect(new Set(gaps({ kind: 'constant' }, 8, 100))).toEqual(new Set([125]));
  });
  it('poisson: mean 1/rate and variance mean^2 (coefficient of variation 1)', () => {
    const g = gaps({ kind: 'poisson' }, 50, n);
    expect(mean(g)).toBeCloseTo(20, 0);
    expect(Math.abs(mean(g) - 20) / 20).toBeLessThan(0.01);
    expect(Math.abs(variance(g) / 400 - 1)).toBeLessThan(0.03);
  });
  it.each([0.25, 0.5, 1, 4])('gamma burstiness %s: same mean, CV^2 = 1/burstiness', (b) => {
    const g = gaps({ kind: 'gamma', burstiness: b }, 10, n);
    expect(Math.abs(mean(g) - 100) / 100).toBeLessThan(0.015);
    const cv2 = variance(g) / mean(g) ** 2;
    expect(Math.abs(cv2 * b - 1)).toBeLessThan(0.05);
  });
  it('is reproducible from the seed and differs across seeds', () => {
    expect(gaps({ kind: 'poisson' }, 5, 10, 7)).toEqual(gaps({ kind: 'poisson' }, 5, 10, 7));
    expect(gaps({ kind: 'poisson' }, 5, 10, 7)).not.toEqual(gaps({ kind: 'poisson' }, 5, 10, 8));
  });
});

describe('WorkerArrivals', () => {
  function take(w: WorkerArrivals, n: number) {
    return Array.from({ length: n }, () => w.next());
  }
  it('starts at t=0 and keeps absolute times (constant rate 4/s)', () => {
    const a = new WorkerArrivals(4, { kind: 'constant' }, 1, { modulo: 1, from: 0, to: 1 });
    expect(take(a, 5)).toEqual([0, 1, 2, 3, 4].map((i) => ({ index: i, atMs: i * 250 })));
  });
  it('workers partition one global schedule: the union equals the single-worker schedule', () => {
    for (const spec of [{ kind: 'poisson' }, { kind: 'gamma', burstiness: 0.3 }, { kind: 'constant' }] as ArrivalSpec[]) {
      const single = take(new WorkerArrivals(100, spec, 9, { modulo: 1, from: 0, to: 1 }), 300);
      const parts = [0, 1, 2].map((w) => take(new WorkerArrivals(100, spec, 9, { modulo: 3, from: w, to: w + 1 }), 100));
      const union = parts.flat().sort((x, y) => x.index - y.index);
      expect(union).toEqual(single);
      expect(parts[1]!.every((a) => a.index % 3 === 1)).toBe(true);
    }
  });
  it('a share of residues takes arrivals in proportion to it (cap 3 split as [2, 1])', () => {
    const big = take(new WorkerArrivals(10, { kind: 'poisson' }, 4, { modulo: 3, from: 0, to: 2 }), 200);
    const small = take(new WorkerArrivals(10, { kind: 'poisson' }, 4, { modulo: 3, from: 2, to: 3 }), 100);
    expect(big.every((a) => a.index % 3 < 2)).toBe(true);
    expect(small.every((a) => a.index % 3 === 2)).toBe(true);
    expect([...big, ...small].map((a) => a.index).sort((x, y) => x - y)).toEqual([...Array(300).keys()]);
  });
  it('achieves the target rate over a long schedule', () => {
    const a = new WorkerArrivals(1000, { kind: 'poisson' }, 3, { modulo: 1, from: 0, to: 1 });
    const last = take(a, 100_001).at(-1)!;
    expect(Math.abs(100_000 / (last.atMs / 1000) - 1000) / 1000).toBeLessThan(0.01);
  });
  it.each([
    [0, 0, 1, 1],
    [-1, 0, 1, 1],
    [Number.POSITIVE_INFINITY, 0, 1, 1],
    [10, 2, 3, 2],
    [10, 1, 1, 2],
    [10, 0, 1, 0],
  ])('rejects rate %s, share %s..%s of %s', (rate, from, to, modulo) => {
    expect(() => new WorkerArrivals(rate, { kind: 'poisson' }, 1, { modulo, from, to })).toThrow();
  });
});
