import { describe, expect, it } from 'vitest';
import { estimateTokens, WORDS } from './synthetic.js';

describe('WORDS', () => {
  it('are distinct lowercase words (random prompts spell request indexes with them)', () => {
    expect(new Set(WORDS).size).toBe(WORDS.length);
    expect(WORDS.every((w) => /^[a-z]+$/.test(w))).toBe(true);
  });
});

describe('estimateTokens', () => {
  it.each([
    ['', 1],
    ['abcd', 1],
    ['a'.repeat(400), 100],
  ])('%j -> %i', (text, n) => expect(estimateTokens(text)).toBe(n));
});
