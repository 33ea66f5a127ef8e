import { describe, expect, it } from 'vitest';
import { aggregate, passAtK } from './aggregate.js';
import type { ItemResult } from './types.js';

function r(subset: string, categories: string[], score: number, over: Partial<ItemResult> = {}): ItemResult {
  return {
    benchmark: 'mmlu',
    subset,
    categories,
    id: `${subset}/${Math.random()}`,
    sample: 0,
    prompt: 'p',
    reply: 'Answer: A',
    extracted: { answer: score > 0 ? 'A' : 'B', rule: 'answer-line' },
    gold: 'A',
    score,
    ...over,
  };
}

const unparsed = { extracted: { answer: null, rule: 'none' } };
const failed = { reply: null, extracted: { answer: null, rule: 'request-failed' }, error: 'HTTP 500' };

// s1 (X): 1 1 0 0(unparsed) -> 0.5;  s2 (X): 1 1 1 -> 1;  s3 (Y, one item also Z): 0(failed) 1 0(unparsed) 0 -> 0.25
const TABLE: ItemResult[] = [
  r('s1', ['X'], 1),
  r('s1', ['X'], 1),
  r('s1', ['X'], 0),
  r('s1', ['X'], 0, unparsed),
  r('s2', ['X'], 1),
  r('s2', ['X'], 1),
  r('s2', ['X'], 1),
  r('s3', ['Y'], 0, failed),
  r('s3', ['Y', 'Z'], 1),
  r('s3', ['Y'], 0, unparsed),
  r('s3', ['Y'], 0),
];

describe('aggregate', () => {
  const a = aggregate(TABLE);

  it('micro is the mean over items, macro the mean over subsets', () => {
    expect(a.n).toBe(11);
    expect(a.correct).toBe(6);
    expect(a.score).toBeCloseTo(6 / 11, 12);
    expect(a.micro).toBe(a.score);
    expect(a.macro).toBeCloseTo((0.5 + 1 + 0.25) / 3, 12);
  });

  it('counts unparsed replies and failed requests apart, both scored 0 and kept in n', () => {
    expect(a.unparsed).toBe(2);
    expect(a.failed).toBe(1);
  });

  it('per subset', () => {
    expect(a.subsets).toEqual({
      s1: { score: 0.5, n: 4, correct: 2, unparsed: 1 },
      s2: { score: 1, n: 3, correct: 3, unparsed: 0 },
      s3: { score: 0.25, n: 4, correct: 1, unparsed: 1 },
    });
  });

  it('per category: micro over its items, macro over its subsets; an item may sit in two', () => {
    expect(a.categories.X!.score).toBeCloseTo(5 / 7, 12);
    expect(a.categories.X!.macro).toBeCloseTo(0.75, 12);
    expect(a.categories.X!.subsets).toBe(2);
    expect(a.categories.Y).toMatchObject({ score: 0.25, n: 4, macro: 0.25, subsets: 1 });
    expect(a.categories.Z).toMatchObject({ score: 1, n: 1 });
  });

  it('partial credit (MC2-gen) adds to the score but not to correct', () => {
    const b = aggregate([r('mc2', [], 0.5), r('mc2', [], 1)]);
    expect(b.score).toBe(0.75);
    expect(b.correct).toBe(1);
  });

  it('averages secondary metrics (GSM8K strict_match)', () => {
    const c = aggregate([r('main', [], 1, { secondary: { strict_match: 1 } }), r('main', [], 1, { secondary: { strict_match: 0 } })]);
    expect(c.secondary).toEqual({ strict_match: 0.5 });
  });

  it('empty input gives zeros, not NaN', () => {
    const e = aggregate([]);
    expect(e).toMatchObject({ score: 0, n: 0, macro: 0, passAtK: {} });
  });

  it('pass@k over samples of the same item, for each k up to the sample count', () => {
    const samples = (id: string, scores: number[]): ItemResult[] => scores.map((s, k) => r('test', [], s, { id, sample: k }));
    const p = aggregate([...samples('P1', [0, 1, 0]), ...samples('P2', [1, 1, 1])], { passK: [1, 2, 3, 5] });
    expect(p.passAtK['1']).toBeCloseTo((1 / 3 + 1) / 2, 12);
    expect(p.passAtK['2']).toBeCloseTo((2 / 3 + 1) / 2, 12);
    expect(p.passAtK['3']).toBe(1);
    expect(p.passAtK['5']).toBeUndefined();
  });
});

describe('passAtK = 1 - C(n-c, k) / C(n, k)', () => {
  it.each([
    [10, 3, 1, 0.3],
    [10, 3, 5, 1 - 21 / 252],
    [5, 0, 1, 0],
    [5, 5, 3, 1],
    [10, 8, 3, 1], // n - c < k
    [3, 1, 2, 2 / 3],
    [2, 1, 1, 0.5],
    [200, 10, 100, 0.9992289739372822],
    [1000, 10, 10, 0.0960315486401131],
  ])('n=%i c=%i k=%i -> %f', (n, c, k, want) => {
    expect(passAtK(n, c, k)).toBeCloseTo(want, 12);
  });

  it('stays finite where the factorial form overflows', () => {
    const v = passAtK(100000, 50000, 1000);
    expect(v).toBe(1);
    expect(passAtK(100000, 1, 1)).toBeCloseTo(1e-5, 15);
  });

  it('rejects impossible arguments', () => {
    expect(() => passAtK(5, 6, 1)).toThrow(RangeError);
    expect(() => passAtK(5, 2, 6)).toThrow(RangeError);
  });
});
