import { describe, expect, it } from 'vitest';
import { closest } from './suggest.js';

const NAMES = ['parallel', 'rate', 'input-tokens', 'max-tokens', 'prefix-tokens', 'url', 'slo', 'seed'];

describe('closest', () => {
  it.each([
    ['paralel', 'parallel'],
    ['parralel', 'parallel'],
    ['inputTokens', 'input-tokens'],
    ['input_tokens', 'input-tokens'],
    ['--max-tokens', 'max-tokens'],
    ['max-token', 'max-tokens'],
    ['uri', 'url'],
    ['rates', 'rate'],
  ])('%s -> %s', (typed, expected) => {
    expect(closest(typed, NAMES)).toBe(expected);
  });

  it.each(['concurrency', 'x', 'temperature', 'model-name'])('%s: nothing close, no guess', (typed) => {
    expect(closest(typed, NAMES)).toBeNull();
  });
});
