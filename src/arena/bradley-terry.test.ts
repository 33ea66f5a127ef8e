import { describe, expect, it } from 'vitest';
import { BASE, bootstrapRatings, fitBradleyTerry, quantile, SCALE } from './bradley-terry.js';

/** The chance that a model rated `ra` beats one rated `rb`. */
const expectedScore = (ra: number, rb: number) => 1 / (1 + BASE ** ((rb - ra) / SCALE));

/** 400 * log10(x): the rating gap of a strength ratio x. */
const gap = (x: number) => 400 * Math.log10(x);

describe('Bradley-Terry fit', () => {
  it('two models, plain MLE: the gap is 400 log10 of the win ratio, centred on 1000', () => {
    // a beat b 3 times, lost once: p_a / p_b = 3, 190.85 points apart.
    const [a, b] = fitBradleyTerry([[0, 3], [1, 0]], { prior: 0 }) as number[];
    expect(a! - b!).toBeCloseTo(gap(3), 6);
    expect(a).toBeCloseTo(1000 + gap(3) / 2, 6);
    expect(b).toBeCloseTo(1000 - gap(3) / 2, 6);
  });

  it('a star through a baseline (baseline mode): each edge on its own, the baseline held at 1000', () => {
    // a-b 2:1 and b-c 2:1, a and c never meet: a = b + 400 log10 2, c = b - 400 log10 2.
    const r = fitBradleyTerry([[0, 2, 0], [1, 0, 2], [0, 1, 0]], { prior: 0, anchor: 1 }) as number[];
    expect(r[1]).toBe(1000);
    expect(r[0]).toBeCloseTo(1000 + gap(2), 6);
    expect(r[2]).toBeCloseTo(1000 - gap(2), 6);
  });

  it('a cycle of equal records gives equal ratings', () => {
    expect(fitBradleyTerry([[0, 2, 1], [1, 0, 2], [2, 1, 0]], { prior: 0 })).toEqual([1000, 1000, 1000].map((x) => expect.closeTo(x, 9)));
  });

  it('three models that all met: the fitted ratings solve the likelihood equations (wins = expected wins)', () => {
    const w = [[0, 7, 9], [3, 0, 6], [1, 4, 0]];
    const r = fitBradleyTerry(w, { prior: 0 }) as number[];
    for (let i = 0; i < 3; i++) {
      let expected = 0;
      let actual = 0;
      for (let j = 0; j < 3; j++) {
        if (i === j) continue;
        expected += (w[i]![j]! + w[j]![i]!) * expectedScore(r[i]!, r[j]!);
        actual += w[i]![j]!;
      }
      expect(expected).toBeCloseTo(actual, 8);
    }
    expect(r[0]! > r[1]! && r[1]! > r[2]!).toBe(true);
  });

  it('a model that always wins: the MLE diverges, the default prior (one virtual tie per pair) keeps it finite', () => {
    // 4-0 plus half a win each way: 4.5 / 0.5 = 9, 381.7 points apart.
    const [a, b] = fitBradleyTerry([[0, 4], [0, 0]]) as number[];
    expect(a! - b!).toBeCloseTo(gap(9), 6);
    expect(a).toBeCloseTo(1000 + gap(9) / 2, 6);
    // 20-0: 20.5 / 0.5 = 41, about 645 points: large, finite.
    const [x, y] = fitBradleyTerry([[0, 20], [0, 0]]) as number[];
    expect(x! - y!).toBeCloseTo(gap(41), 6);
    // And with three models, one unbeaten, the others still ordered between themselves.
    const r = fitBradleyTerry([[0, 5, 5], [0, 0, 4], [0, 1, 0]]) as number[];
    expect(r.every(Number.isFinite)).toBe(true);
    expect(r[0]! > r[1]! && r[1]! > r[2]!).toBe(true);
  });

  it('the prior pulls a lopsided record in a little: 15-5 gives 180 points, not 191', () => {
    const [a, b] = fitBradleyTerry([[0, 15], [5, 0]]) as number[];
    expect(a! - b!).toBeCloseTo(gap(15.5 / 5.5), 6);
    expect(Math.round(a! - b!)).toBe(180);
  });

  it('ties only: everyone at 1000 (ties count half a win each way)', () => {
    expect(fitBradleyTerry([[0, 3, 3], [3, 0, 3], [3, 3, 0]])).toEqual([1000, 1000, 1000].map((x) => expect.closeTo(x, 9)));
    expect(fitBradleyTerry([[0, 1.5], [1.5, 0]], { prior: 0 })).toEqual([1000, 1000].map((x) => expect.closeTo(x, 9)));
  });

  it('a model with no verdicts has no rating, and does not move the others', () => {
    const r = fitBradleyTerry([[0, 3, 0], [1, 0, 0], [0, 0, 0]], { prior: 0 });
    expect(r[2]).toBeNull();
    expect(r[0]! - r[1]!).toBeCloseTo(gap(3), 6);
    expect((r[0]! + r[1]!) / 2).toBeCloseTo(1000, 9);
  });

  it('a 400-point gap is 10:1 odds', () => {
    const [a, b] = fitBradleyTerry([[0, 10], [1, 0]], { prior: 0 }) as number[];
    expect(a! - b!).toBeCloseTo(400, 6);
    expect(expectedScore(a!, b!)).toBeCloseTo(10 / 11, 9);
  });
});

describe('bootstrap intervals', () => {
  // 12 questions: a mostly beats b, b mostly beats c.
  const perQuestion = Array.from({ length: 12 }, (_, q) => [
    [0, q % 4 === 0 ? 0 : 1, 1],
    [q % 4 === 0 ? 1 : 0, 0, q % 3 === 0 ? 0 : 1],
    [0, q % 3 === 0 ? 1 : 0, 0],
  ]);

  it('the same seed gives the same intervals; another seed other ones', () => {
    const one = bootstrapRatings(perQuestion, 3, 300, 7);
    expect(bootstrapRatings(perQuestion, 3, 300, 7)).toEqual(one);
    expect(bootstrapRatings(perQuestion, 3, 300, 8)).not.toEqual(one);
  });

  it('the intervals hold the point estimates and keep the order', () => {
    const total = perQuestion.reduce((s, q) => s.map((row, i) => row.map((x, j) => x + q[i]![j]!)));
    const point = fitBradleyTerry(total) as number[];
    const ci = bootstrapRatings(perQuestion, 3, 500, 1);
    ci.forEach((c, i) => {
      expect(c!.lo).toBeLessThanOrEqual(point[i]!);
      expect(c!.hi).toBeGreaterThanOrEqual(point[i]!);
    });
    expect(ci[0]!.hi).toBeGreaterThan(ci[2]!.hi);
  });

  it('identical questions give zero-width intervals; no questions give none', () => {
    const same = Array.from({ length: 5 }, () => [[0, 2], [1, 0]]);
    const [a] = bootstrapRatings(same, 2, 50, 1);
    expect(a!.hi - a!.lo).toBeCloseTo(0, 9);
    expect(bootstrapRatings([], 2, 50, 1)).toEqual([null, null]);
  });

  it('quantile interpolates between order statistics', () => {
    expect(quantile([3, 1, 2, 4], 0.5)).toBe(2.5);
    expect(quantile([5], 0.975)).toBe(5);
    expect(quantile([0, 10], 0.025)).toBeCloseTo(0.25, 12);
  });
});
