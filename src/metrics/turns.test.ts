import { describe, expect, it } from 'vitest';
import { rec } from './fixtures.test-util.js';
import { TurnTally } from './turns.js';

describe('TurnTally', () => {
  it('is silent outside multi-turn runs', () => {
    const t = new TurnTally();
    t.add(rec());
    expect(t.latency()).toEqual({});
    expect(t.summary()).toBeNull();
  });

  it('splits TTFT and prompt tokens by first and later turns; failures count as turns but not as latencies', () => {
    const t = new TurnTally();
    // rec(): sent at 101; first token at sentAt + ttft.
    const cases: [turn: number, ttft: number, input: number, failed: boolean][] = [
      [1, 40, 100, false],
      [2, 70, 210, false],
      [3, 90, 320, false],
      [1, 50, 100, false],
      [2, 0, 210, true],
    ];
    for (const [turn, ttft, input, failed] of cases) {
      t.add(rec({ conversation: 0, turn, firstTokenAt: failed ? NaN : 101 + ttft, inputTokens: input, errorClass: failed ? 'http_5xx' : null }));
    }
    const L = t.latency();
    // HDR buckets hold 3 significant digits.
    expect(L.ttft_first_turn!.count).toBe(2);
    expect(L.ttft_first_turn!.mean).toBeCloseTo(45, 1);
    expect(L.ttft_later_turns!.count).toBe(2);
    expect(L.ttft_later_turns!.max).toBeCloseTo(90, 0);
    expect(t.summary()).toEqual({ conversations: 2, turns_mean: 2.5, input_tokens_first_turn_mean: 100, input_tokens_later_turns_mean: 265 });
  });
});
