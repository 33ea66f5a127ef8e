import { describe, expect, it } from 'vitest';
import { splitCount } from './split.js';

describe('splitCount', () => {
  it.each([
    [10, 4, [3, 3, 2, 2]],
    [8, 4, [2, 2, 2, 2]],
    [1, 3, [1, 0, 0]],
    [0, 2, [0, 0]],
    [1024, 1, [1024]],
    [7, 7, [1, 1, 1, 1, 1, 1, 1]],
  ])('%i over %i', (total, parts, want) => {
    const got = splitCount(total, parts);
    expect(got).toEqual(want);
    expect(got.reduce((a, b) => a + b, 0)).toBe(total);
  });
  it.each([
    [-1, 2],
    [1.5, 2],
    [4, 0],
    [4, 1.5],
  ])('rejects %s over %s', (total, parts) => {
    expect(() => splitCount(total, parts)).toThrow();
  });
});
