import { describe, expect, it } from 'vitest';
import { createRng } from '../load/rng.js';
import { formatLength, minLength, parseLength, sampleLength } from './lengths.js';

describe('parseLength', () => {
  it.each([
    ['512', { kind: 'fixed', value: 512 }],
    [64, { kind: 'fixed', value: 64 }],
    ['256:1024', { kind: 'range', min: 256, max: 1024 }],
    ['7:7', { kind: 'fixed', value: 7 }],
    ['normal:512,128', { kind: 'normal', mean: 512, stdev: 128, min: 128, max: 896 }],
    ['normal:10,10', { kind: 'normal', mean: 10, stdev: 10, min: 1, max: 40 }],
  ])('%j', (text, spec) => expect(parseLength(text, '--input-tokens')).toEqual(spec));

  it.each([
    ['0', /must be a whole number >= 1/],
    ['2.5', /--input-tokens 2.5: must be a whole number >= 1/],
    ['abc', /must be a whole number/],
    ['10:5', /MIN:MAX, whole numbers with 1 <= MIN <= MAX/],
    ['0:5', /MIN:MAX/],
    ['1:2:3', /MIN:MAX/],
    ['normal:512', /normal:MEAN,STDEV/],
    ['normal:0,1', /normal:MEAN,STDEV/],
    ['normal:5,-1', /normal:MEAN,STDEV/],
  ])('rejects %j', (text, msg) => expect(() => parseLength(text, '--input-tokens')).toThrow(msg));

  it('formats back to what a user types', () => {
    for (const t of ['512', '256:1024', 'normal:512,128']) expect(formatLength(parseLength(t, 'x'))).toBe(t);
    expect(minLength(parseLength('256:1024', 'x'))).toBe(256);
  });
});

describe('sampleLength', () => {
  it('a range covers both ends and nothing outside', () => {
    const rng = createRng(1);
    const seen = new Set(Array.from({ length: 2000 }, () => sampleLength({ kind: 'range', min: 4, max: 12 }, rng)));
    expect([...seen].sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
  it('normal lengths centre on the mean and stay inside the cut', () => {
    const rng = createRng(2);
    const spec = parseLength('normal:100,20', 'x');
    const xs = Array.from({ length: 5000 }, () => sampleLength(spec, rng));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(Math.abs(mean - 100)).toBeLessThan(2);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(40);
    expect(Math.max(...xs)).toBeLessThanOrEqual(160);
    expect(xs.every(Number.isInteger)).toBe(true);
  });
});
