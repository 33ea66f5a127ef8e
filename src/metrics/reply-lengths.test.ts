import { describe, expect, it } from 'vitest';
import { rec } from './fixtures.test-util.js';
import { ReplyLengthTally } from './reply-lengths.js';

describe('ReplyLengthTally', () => {
  it('counts successful replies with a max_tokens and a real count, and those that stopped short', () => {
    const t = new ReplyLengthTally();
    expect(t.summary()).toBeNull();
    for (const over of [
      { maxTokens: 11, outputTokens: 11 }, // as asked
      { maxTokens: 16, outputTokens: 11 }, // short
      { maxTokens: 16, outputTokens: 11, tokenSource: 'tokenizer' as const }, // a re-encoding can be a token off: left out
      { maxTokens: 16, outputTokens: 2, tokenSource: 'estimate' as const }, // an estimate cannot tell
      { maxTokens: NaN }, // no max_tokens (rerank, embeddings, a benchmark item)
      { maxTokens: 16, errorClass: 'http_5xx' as const },
    ]) t.add(rec(over));
    expect(t.summary()).toEqual({ counted: 2, shorter: 1 });
  });
});
