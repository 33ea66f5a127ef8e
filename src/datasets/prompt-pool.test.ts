import { describe, expect, it } from 'vitest';
import { POOL_WORDS, poolSlice, promptPool } from './prompt-pool.js';
import { randomPrompt, randomPromptJson, type RandomPromptSpec } from './random.js';
import { parseLength } from './lengths.js';

const vocabulary = ['alpha', 'beta', 'gamma', 'delta'];

describe('promptPool', () => {
  it('is built once per vocabulary and seed, and differs by seed', () => {
    expect(promptPool(vocabulary, 1)).toBe(promptPool(vocabulary, 1));
    expect(promptPool(vocabulary, 1).plain.text).not.toBe(promptPool(vocabulary, 2).plain.text);
  });

  it.each([
    ['from the start', 0, 3],
    ['in the middle', 1000, 50],
    ['to the very end', POOL_WORDS - 5, 5],
    ['across the end, wrapping to the start', POOL_WORDS - 3, 10],
    ['longer than the pool', 7, POOL_WORDS * 2 + 11],
    ['no words', 12, 0],
  ])('a slice %s is that many whole words of the pool, in order', (_name, from, n) => {
    const w = promptPool(vocabulary, 3).plain;
    const all = w.text.split(' ');
    const expected = Array.from({ length: n }, (_, k) => all[(from + k) % POOL_WORDS]).join(' ');
    expect(poolSlice(w, from, n)).toBe(expected);
  });

  it('shares one text when no word needs escaping for JSON', () => {
    const p = promptPool(vocabulary, 4);
    expect(p.json).toBe(p.plain);
  });
});

describe('randomPromptJson', () => {
  const spec = (words: string[], prefix: string): RandomPromptSpec => ({ words, prefix, prefixTokens: prefix === '' ? 0 : prefix.split(' ').length, inputTokens: parseLength('5:300', '--input-tokens'), seed: 5, marker: false });

  it.each([
    ['a plain vocabulary', ['one', 'two', 'three'], ''],
    ['words that need escaping, and a shared prefix', ['say"', 'back\\slash', 'tab\tbed', 'née'], 'pre"fix x'],
  ])('%s: is randomPrompt escaped for a JSON string, for every request', (_name, words, prefix) => {
    const s = spec(words, prefix);
    for (let i = 0; i < 200; i++) {
      const plain = randomPrompt(s, 1, i);
      const json = randomPromptJson(s, 1, i);
      expect(json.tokens).toBe(plain.tokens);
      expect(JSON.parse(`"${json.json}"`)).toBe(plain.text);
    }
  });
});
