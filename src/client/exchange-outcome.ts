import type { ErrorClass, ReplyDetail } from '../metrics/record.js';
import type { ServerTimings, Usage } from '../sse/openai-delta.js';

/** What one request/response exchange observed. Times are performance.now() ms; NaN = never. */
export interface ExchangeOutcome {
  sentAt: number;
  headersAt: number;
  firstTokenAt: number;
  lastTokenAt: number;
  endAt: number;
  status: number;
  contentEvents: number;
  usage: Usage | null;
  timings: ServerTimings | null;
  errorClass: ErrorClass | null;
  errorMessage: string | null;
  /** Gaps between consecutive content events, ms; valid up to gapCount. */
  gaps: Float64Array;
  gapCount: number;
  /** The reply, when collected (accuracy runs). */
  reply: ReplyDetail | null;
  /** Generated text that is not in the reply's text (reasoning) was seen: counting the text would undercount. */
  uncollected: boolean;
}

export interface ExchangeHooks {
  /** The request is being written to a socket: it now counts as in flight. */
  onSent(now: number): void;
  onContentEvent(): void;
  onDone(outcome: ExchangeOutcome): void;
}

/** Sets every field but the gap buffer (kept: it is reused) to "nothing seen yet". */
export function resetOutcome(o: ExchangeOutcome): ExchangeOutcome {
  o.sentAt = NaN;
  o.headersAt = NaN;
  o.firstTokenAt = NaN;
  o.lastTokenAt = NaN;
  o.endAt = NaN;
  o.status = 0;
  o.contentEvents = 0;
  o.usage = null;
  o.timings = null;
  o.errorClass = null;
  o.errorMessage = null;
  o.gapCount = 0;
  o.reply = null;
  o.uncollected = false;
  return o;
}
