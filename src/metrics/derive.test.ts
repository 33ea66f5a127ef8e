import { describe, expect, it } from 'vitest';
import { deriveLatencies, meetsSlo } from './derive.js';
import { rec } from './fixtures.test-util.js';

describe('deriveLatencies', () => {
  it.each([
    ['typical stream', rec(), { ttft: 50, tpot: 10, e2e: 151, queue: 1, ttftFromSchedule: 51, e2eFromSchedule: 152 }],
    ['open loop, sent 40 ms late', rec({ scheduledAt: 61 }), { ttft: 50, tpot: 10, e2e: 151, queue: 40, ttftFromSchedule: 90, e2eFromSchedule: 191 }],
    ['one output token: no TPOT', rec({ outputTokens: 1, lastTokenAt: 151 }), { ttft: 50, tpot: null }],
    ['two tokens', rec({ outputTokens: 2, lastTokenAt: 171 }), { tpot: 20 }],
    // Usage says 21 tokens although only 11 events came: TPOT divides by tokens, not events.
    ['several tokens per event', rec({ outputTokens: 21 }), { tpot: 5 }],
    ['non-streamed: no token times', rec({ firstTokenAt: NaN, lastTokenAt: NaN }), { ttft: null, tpot: null, ttftFromSchedule: null, e2e: 151 }],
  ])('%s', (_name, r, want) => {
    expect(deriveLatencies(r)).toMatchObject(want);
  });
});

describe('meetsSlo', () => {
  const d = deriveLatencies(rec()); // ttft 50, tpot 10, e2e 151
  it.each([
    [{ ttft: 50 }, true],
    [{ ttft: 49.9 }, false],
    [{ tpot: 10, e2e: 151 }, true],
    [{ tpot: 9 }, false],
    [{ e2e: 150 }, false],
    [{}, true],
  ])('%j -> %s', (slo, ok) => expect(meetsSlo(d, slo, false)).toBe(ok));
  it('a reply without TTFT misses a TTFT bound, a one-token reply keeps a TPOT bound', () => {
    expect(meetsSlo(deriveLatencies(rec({ firstTokenAt: NaN })), { ttft: 1e9 }, false)).toBe(false);
    expect(meetsSlo(deriveLatencies(rec({ outputTokens: 1 })), { tpot: 1 }, false)).toBe(true);
  });
  it('open loop: the wait for a slot counts against TTFT and E2E bounds', () => {
    const queued = deriveLatencies(rec({ scheduledAt: 1 })); // sent 100 ms after its arrival
    expect(meetsSlo(queued, { ttft: 100 }, false)).toBe(true);
    expect(meetsSlo(queued, { ttft: 100 }, true)).toBe(false);
    expect(meetsSlo(queued, { e2e: 200 }, true)).toBe(false);
  });
});
