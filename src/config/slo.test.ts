import { describe, expect, it } from 'vitest';
import { parseSlo } from './slo.js';

describe('parseSlo', () => {
  it.each([
    ['ttft<=500ms', { ttft: 500 }],
    ['ttft<=500ms,tpot<=50ms,e2e<=20s', { ttft: 500, tpot: 50, e2e: 20_000 }],
    [' TTFT <= 1s , tpot<40ms', { ttft: 1000, tpot: 40 }],
  ])('%s', (text, want) => expect(parseSlo(text)).toEqual(want));
  it.each(['', 'ttft>=5ms', 'latency<=5ms', 'ttft<=fast', 'ttft<=1s,ttft<=2s'])('rejects %j', (text) => {
    expect(() => parseSlo(text)).toThrow(/--slo/);
  });
});
