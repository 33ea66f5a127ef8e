import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5s', 1500],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['45', 45_000],
    [' 2M ', 120_000],
    [3, 3000],
  ] as const)('%j -> %i ms', (text, ms) => expect(parseDuration(text, '--duration')).toBe(ms));
  it.each(['', 'abc', '10 minutes', '-5s', '0s', '1d', 0, -1])('rejects %j', (text) => {
    expect(() => parseDuration(text, '--duration')).toThrow(/--duration/);
  });
  it.each(['0', '0s', '0ms', 0])('accepts %j as zero where allowed', (text) => {
    expect(parseDuration(text, '--pause', true)).toBe(0);
  });
});
