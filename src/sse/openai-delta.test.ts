import { describe, expect, it } from 'vitest';
import { decodeOpenAiEvent, decodeOpenAiResponse, type DecodedResponse } from './openai-delta.js';
import { eventCases, textCases } from './event-cases.test-util.js';

describe('decodeOpenAiEvent', () => {
  it.each(eventCases)('$name', ({ data, want }) => {
    const got = decodeOpenAiEvent(data, false);
    // `key: undefined` in a case means "must be absent", which toMatchObject can't express.
    expect(got).toMatchObject(Object.fromEntries(Object.entries(want).filter(([, v]) => v !== undefined)));
    expect(got.text).toBeUndefined();
    for (const key of ['usage', 'finishReason', 'errorMessage', 'timings'] as const) {
      if (!(key in want)) continue;
      expect(got[key]).toEqual(want[key]);
    }
    if (want.kind === 'malformed') expect(got.errorMessage).toMatch(/\S/);
  });

  it.each(textCases)('collectText=true: $name', ({ data, text, length }) => {
    const got = decodeOpenAiEvent(data, true);
    expect(got.text).toBe(text);
    expect(got.textLength).toBe(length ?? text.length);
    expect(decodeOpenAiEvent(data, false).textLength).toBe(length ?? text.length);
  });
});

type ResponseCase = { name: string; body: string; want: Partial<DecodedResponse> };

const responseCases: ResponseCase[] = [
  {
    name: 'vLLM chat.completion with usage',
    body: '{"id":"chatcmpl-b1","object":"chat.completion","created":1731513600,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"message":{"role":"assistant","reasoning_content":null,"content":"Hello there!","tool_calls":[]},"logprobs":null,"finish_reason":"stop","stop_reason":null}],"usage":{"prompt_tokens":20,"total_tokens":24,"completion_tokens":4,"prompt_tokens_details":null},"prompt_logprobs":null}',
    want: { kind: 'ok', text: 'Hello there!', textLength: 12, finishReason: 'stop', usage: { promptTokens: 20, completionTokens: 4 } },
  },
  {
    name: 'chat.completion with reasoning_content',
    body: '{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","reasoning_content":"think","content":"42"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14}}',
    want: { kind: 'ok', text: '42', textLength: 7, usage: { promptTokens: 5, completionTokens: 9 } },
  },
  {
    name: 'chat.completion with top logprobs',
    body: '{"choices":[{"index":0,"message":{"role":"assistant","content":"B"},"logprobs":{"content":[{"token":"B","logprob":-0.1,"top_logprobs":[{"token":"B","logprob":-0.1},{"token":" A","logprob":-2.5}]}]},"finish_reason":"length"}]}',
    want: { kind: 'ok', text: 'B', topLogprobs: [{ B: -0.1, ' A': -2.5 }], finishReason: 'length' },
  },
  {
    name: 'text_completion with top logprobs',
    body: '{"object":"text_completion","choices":[{"index":0,"text":" C","logprobs":{"tokens":[" C"],"token_logprobs":[-0.2],"top_logprobs":[{" C":-0.2," D":-1.9}]},"finish_reason":"length"}]}',
    want: { kind: 'ok', text: ' C', topLogprobs: [{ ' C': -0.2, ' D': -1.9 }] },
  },
  {
    name: 'tool-call-only message has no text',
    body: '{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}',
    want: { kind: 'ok', text: '', textLength: 0, finishReason: 'tool_calls' },
  },
  {
    name: 'text_completion body',
    body: '{"id":"cmpl-7c","object":"text_completion","created":1731513600,"model":"meta-llama/Llama-3.1-8B","choices":[{"index":0,"text":" Paris.","logprobs":null,"finish_reason":"length","stop_reason":null,"prompt_logprobs":null}],"usage":{"prompt_tokens":6,"total_tokens":8,"completion_tokens":2}}',
    want: { kind: 'ok', text: ' Paris.', textLength: 7, finishReason: 'length', usage: { promptTokens: 6, completionTokens: 2 } },
  },
  {
    name: 'llama.cpp body with timings',
    body: '{"choices":[{"finish_reason":"stop","index":0,"message":{"role":"assistant","content":"Hi"}}],"created":1731513600,"model":"m.gguf","object":"chat.completion","usage":{"completion_tokens":2,"prompt_tokens":8,"total_tokens":10},"timings":{"prompt_n":8,"prompt_ms":12.5,"predicted_n":2,"predicted_ms":40.1,"predicted_per_token_ms":20.05}}',
    want: { kind: 'ok', textLength: 2, timings: { promptMs: 12.5, predictedMs: 40.1, predictedPerTokenMs: 20.05 } },
  },
  {
    name: 'OpenAI error body',
    body: '{"error":{"message":"Rate limit reached for gpt-4o-mini","type":"requests","param":null,"code":"rate_limit_exceeded"}}',
    want: { kind: 'error', textLength: 0, errorMessage: 'Rate limit reached for gpt-4o-mini' },
  },
  {
    name: 'vLLM error body',
    body: '{"object":"error","message":"The model `gpt2` does not exist.","type":"NotFoundError","param":null,"code":404}',
    want: { kind: 'error', textLength: 0, errorMessage: 'The model `gpt2` does not exist.' },
  },
  { name: 'malformed JSON', body: '<html>502 Bad Gateway</html>', want: { kind: 'malformed', textLength: 0, errorMessage: 'invalid JSON in response body: <html>502 Bad Gateway</html>' } },
  { name: 'empty body', body: '', want: { kind: 'malformed', textLength: 0 } },
  { name: 'JSON that is not an object', body: '[]', want: { kind: 'malformed', textLength: 0 } },
  { name: 'choices not an array', body: '{"object":"chat.completion","choices":"nope"}', want: { kind: 'malformed', textLength: 0 } },
];

describe('decodeOpenAiResponse', () => {
  it.each(responseCases)('$name', ({ body, want }) => {
    const got = decodeOpenAiResponse(body, true);
    expect(got).toMatchObject(want);
    if (want.kind !== 'ok') expect(got.errorMessage).toMatch(/\S/);
    const lean = decodeOpenAiResponse(body, false);
    expect(lean.text).toBe('');
    expect(lean.textLength).toBe(got.textLength);
  });
});
