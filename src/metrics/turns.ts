import { createHistogram, latencyStats, recordMs, type LatencyStats } from './histogram.js';
import type { RequestRecord } from './record.js';

/** Multi-turn figures of one step (summary.json `turns`). */
export interface TurnsSummary {
  /** Conversations that sent their first turn in the step. */
  conversations: number;
  /** Requests per conversation started. */
  turns_mean: number;
  /** Prompt tokens of first and later turns (later turns carry the history): mean. */
  input_tokens_first_turn_mean: number | null;
  input_tokens_later_turns_mean: number | null;
}

/**
 * First-turn and later-turn TTFT of a multi-turn step, from the records as they arrive on the
 * main thread (histograms: constant memory). A later turn resends the whole history, so on a
 * server with a prefix cache its TTFT should stay near the first turn's however long the
 * history grows; without one it climbs with the turn.
 */
export class TurnTally {
  private readonly first = createHistogram();
  private readonly later = createHistogram();
  private requests = 0;
  private conversations = 0;
  private readonly input = { first: 0, firstN: 0, later: 0, laterN: 0 };

  add(r: RequestRecord): void {
    if (r.turn <= 0) return;
    this.requests++;
    const isFirst = r.turn === 1;
    if (isFirst) this.conversations++;
    if (r.errorClass !== null) return;
    if (Number.isFinite(r.firstTokenAt)) recordMs(isFirst ? this.first : this.later, r.firstTokenAt - r.sentAt);
    if (isFirst) (this.input.first += r.inputTokens), this.input.firstN++;
    else (this.input.later += r.inputTokens), this.input.laterN++;
  }

  /** Latency rows for summary.json `latency_ms`; empty outside multi-turn runs. */
  latency(): Record<string, LatencyStats | null> {
    if (this.requests === 0) return {};
    return { ttft_first_turn: latencyStats(this.first), ttft_later_turns: latencyStats(this.later) };
  }

  summary(): TurnsSummary | null {
    if (this.requests === 0) return null;
    const mean = (sum: number, n: number) => (n === 0 ? null : Math.round((sum / n) * 10) / 10);
    return {
      conversations: this.conversations,
      turns_mean: this.conversations === 0 ? 0 : Math.round((this.requests / this.conversations) * 100) / 100,
      input_tokens_first_turn_mean: mean(this.input.first, this.input.firstN),
      input_tokens_later_turns_mean: mean(this.input.later, this.input.laterN),
    };
  }
}
