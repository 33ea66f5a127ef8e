import { describe, expect, it } from 'vitest';
import { buildRequestBody, sentMaxTokens, type RequestShape } from './request-body.js';

describe('sentMaxTokens: the output limit the body carries, read as vLLM reads it', () => {
  it.each([
    ['the planned max_tokens', 128, null, 128],
    ['no limit planned', null, null, NaN],
    ['--extra-body max_tokens wins over the plan', 128, { max_tokens: 5 }, 5],
    ['--extra-body max_completion_tokens wins over max_tokens', 128, { max_tokens: 5, max_completion_tokens: 9 }, 9],
    ['max_completion_tokens alone', null, { max_completion_tokens: 9 }, 9],
    ['--extra-body max_tokens null: the body sends null, no limit', 128, { max_tokens: null }, NaN],
    ['max_completion_tokens null: max_tokens still limits', 128, { max_completion_tokens: null }, 128],
    ['a limit below 1 is none', 128, { max_tokens: 0 }, NaN],
    ['other fields change nothing', 64, { temperature: 0 }, 64],
  ] as const)('%s', (_name, planned, extra, want) => {
    expect(sentMaxTokens(planned, extra as Record<string, unknown> | null)).toBe(want);
  });

  it('agrees with the body buildRequestBody writes', () => {
    const shape: RequestShape = { api: 'chat', model: 'm', maxTokens: 128, temperature: null, stream: true, extraBody: { max_tokens: null } };
    expect(JSON.parse(buildRequestBody(shape, 'hi')).max_tokens).toBeNull();
    expect(sentMaxTokens(shape.maxTokens, shape.extraBody)).toBeNaN();
  });
});
