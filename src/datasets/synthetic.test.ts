import { describe, expect, it } from 'vitest';
import { estimateTokens, syntheticPrompt } from './synthetic.js';

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

describe('syntheticPrompt', () => {
  it.each([1, 2, 17, 256, 4096])('has exactly %i words', (n) => {
    expect(words(syntheticPrompt(3, n, 1))).toBe(n);
  });
  it('is empty for 0 tokens', () => expect(syntheticPrompt(0, 0, 1)).toBe(''));
  it('is deterministic per (seed, index) and distinct across indexes', () => {
    expect(syntheticPrompt(5, 64, 9)).toBe(syntheticPrompt(5, 64, 9));
    const firstWords = new Set(Array.from({ length: 200 }, (_, i) => syntheticPrompt(i, 8, 9).split(' ')[0]));
    expect(firstWords.size).toBe(200);
    expect(syntheticPrompt(5, 64, 9)).not.toBe(syntheticPrompt(5, 64, 10));
  });
});

describe('estimateTokens', () => {
  it.each([
    ['', 1],
    ['abcd', 1],
    ['a'.repeat(400), 100],
  ])('%j -> %i', (text, n) => expect(estimateTokens(text)).toBe(n));
});
