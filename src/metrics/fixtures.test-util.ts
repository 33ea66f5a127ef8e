import type { RequestRecord } from './record.js';

/** A successful streamed request, times in ms; override what a case needs. */
export function rec(over: Partial<RequestRecord> = {}): RequestRecord {
  return {
    step: 0,
    index: 0,
    worker: 0,
    scheduledAt: 100,
    sentAt: 101,
    headersAt: 110,
    firstTokenAt: 151,
    lastTokenAt: 251,
    endAt: 252,
    inputTokens: 50,
    outputTokens: 11,
    tokenSource: 'usage',
    contentEvents: 11,
    status: 200,
    errorClass: null,
    errorMessage: null,
    serverPromptMs: NaN,
    serverPredictedMs: NaN,
    conversation: NaN,
    turn: 0,
    maxTokens: NaN,
    ...over,
  };
}
