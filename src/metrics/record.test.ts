import { describe, expect, it } from 'vitest';
import { rec } from './fixtures.test-util.js';
import { packRecords, recordToJsonLine, unpackRecords } from './record.js';

describe('record packing', () => {
  it('round-trips records, NaN times and error messages', () => {
    const rs = [rec({ serverPromptMs: 12.5, serverPredictedMs: 80, conversation: 3, turn: 2, maxTokens: 64 }), rec({ index: 7, worker: 2, headersAt: NaN, firstTokenAt: NaN, lastTokenAt: NaN, status: 503, errorClass: 'http_5xx', errorMessage: 'HTTP 503: busy', tokenSource: 'estimate', outputTokens: 0, contentEvents: 0 })];
    const { packed, messages } = packRecords(rs);
    expect(packed.length).toBe(2 * 20);
    expect(unpackRecords(packed, messages)).toEqual(rs);
  });
});

describe('requests.jsonl line', () => {
  it('has the contract keys, times relative to the run start, null for never', () => {
    const line = JSON.parse(recordToJsonLine(rec({ firstTokenAt: NaN, lastTokenAt: NaN, sentAt: 101.0004 }), 100));
    expect(Object.keys(line)).toEqual([
      'step', 'index', 'worker', 'scheduled_at', 'sent_at', 'headers_at', 'first_token_at', 'last_token_at', 'end_at',
      'input_tokens', 'output_tokens', 'max_tokens', 'token_source', 'content_events', 'status', 'error_class', 'error',
      'server_prompt_ms', 'server_predicted_ms',
    ]);
    expect(line).toMatchObject({ scheduled_at: 0, sent_at: 1, headers_at: 10, first_token_at: null, last_token_at: null, end_at: 152, error_class: null, server_prompt_ms: null });
  });

  it('names the conversation and turn of a multi-turn request', () => {
    const line = JSON.parse(recordToJsonLine(rec({ conversation: 4, turn: 3 }), 100));
    expect(Object.keys(line).slice(-2)).toEqual(['conversation', 'turn']);
    expect(line).toMatchObject({ conversation: 4, turn: 3 });
  });
});
