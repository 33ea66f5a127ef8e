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

/** "Nothing seen yet" for every field but the gap buffer; typed so a new field cannot be missed. */
const FRESH: Omit<ExchangeOutcome, 'gaps'> = {
  sentAt: NaN,
  headersAt: NaN,
  firstTokenAt: NaN,
  lastTokenAt: NaN,
  endAt: NaN,
  status: 0,
  contentEvents: 0,
  usage: null,
  timings: null,
  errorClass: null,
  errorMessage: null,
  gapCount: 0,
  reply: null,
  uncollected: false,
};

/** A new outcome over `gaps`. */
export function freshOutcome(gaps: Float64Array): ExchangeOutcome {
  return { ...FRESH, gaps };
}

/** Back to "nothing seen yet", in place, keeping the gap buffer (it is reused). */
export function resetOutcome(o: ExchangeOutcome): void {
  Object.assign(o, FRESH);
}
