import { describe, expect, it } from 'vitest';
import { EXPECTED_CLASS, FAULT_KINDS, FaultPicker, parseFaults } from './faults.js';

describe('parseFaults', () => {
  it('parses kinds and probabilities', () => {
    expect(parseFaults('500:0.02, 429:0.01,reset-mid:0.5')).toEqual([
      { kind: '500', p: 0.02 },
      { kind: '429', p: 0.01 },
      { kind: 'reset-mid', p: 0.5 },
    ]);
  });
  it.each([
    ['boom:0.1', /unknown fault/],
    ['500', /kind:probability/],
    ['500:0', /kind:probability/],
    ['500:1.5', /kind:probability/],
    ['500:0.6,503:0.6', /add up to 1.200/],
  ])('rejects %s', (text, msg) => expect(() => parseFaults(text)).toThrow(msg));
  it('every kind has an expected client class', () => {
    for (const k of FAULT_KINDS) expect(EXPECTED_CLASS).toHaveProperty(k);
  });
});

describe('FaultPicker', () => {
  it('draws each fault at its rate, deterministically from the seed', () => {
    const draw = (seed: number) => {
      const p = new FaultPicker(parseFaults('500:0.1,reset:0.2'), seed);
      return Array.from({ length: 20_000 }, () => p.pick());
    };
    const a = draw(3);
    expect(draw(3)).toEqual(a);
    const share = (k: string | null) => a.filter((x) => x === k).length / a.length;
    expect(share('500')).toBeCloseTo(0.1, 1);
    expect(share('reset')).toBeCloseTo(0.2, 1);
    expect(share(null)).toBeCloseTo(0.7, 1);
  });
  it('picks nothing without faults', () => {
    expect(new FaultPicker([], 1).pick()).toBeNull();
  });
});
