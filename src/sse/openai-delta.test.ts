import { describe, expect, it } from 'vitest';
import { decodeOpenAiEvent, decodeOpenAiResponse, type DecodedEvent, type DecodedResponse } from './openai-delta.js';

// Payloads copied in shape from what the servers emit (ids and timestamps shortened).
const VLLM = '"id":"chatcmpl-9b2e","object":"chat.completion.chunk","created":1731513600,"model":"Qwen/Qwen2.5-7B-Instruct"';
const OPENAI = '"id":"chatcmpl-B9x","object":"chat.completion.chunk","created":1731513600,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0ba0d124f1"';
const LLAMA = '"created":1731513600,"id":"chatcmpl-xQ2","model":"qwen2.5-7b-instruct-q4_k_m.gguf","system_fingerprint":"b4600-1a2b3c4d","object":"chat.completion.chunk"';

type EventCase = { name: string; data: string; want: Partial<DecodedEvent> };

const eventCases: EventCase[] = [
  { name: '[DONE]', data: '[DONE]', want: { kind: 'done', textLength: 0 } },
  { name: '[DONE] with whitespace', data: ' [DONE] \r', want: { kind: 'done', textLength: 0 } },
  {
    name: 'vLLM role-only first chunk is not a token',
    data: `{${VLLM},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}`,
    want: { kind: 'chunk', textLength: 0 },
  },
  {
    name: 'OpenAI role-only first chunk with usage null and refusal null',
    data: `{${OPENAI},"choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}`,
    want: { kind: 'chunk', textLength: 0, usage: undefined },
  },
  {
    name: 'content chunk is a token',
    data: `{${VLLM},"choices":[{"index":0,"delta":{"content":" Hello"},"logprobs":null,"finish_reason":null}]}`,
    want: { kind: 'chunk', textLength: 6 },
  },
  {
    name: 'OpenAI content chunk with usage null gives no usage',
    data: `{${OPENAI},"choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}],"usage":null}`,
    want: { kind: 'chunk', textLength: 2, usage: undefined },
  },
  {
    name: 'content null is no text',
    data: `{${VLLM},"choices":[{"index":0,"delta":{"content":null},"logprobs":null,"finish_reason":null}]}`,
    want: { kind: 'chunk', textLength: 0 },
  },
  {
    name: 'vLLM reasoning_content is a token',
    data: `{${VLLM},"choices":[{"index":0,"delta":{"reasoning_content":"Okay, let"},"logprobs":null,"finish_reason":null}]}`,
    want: { kind: 'chunk', textLength: 9 },
  },
  {
    name: 'delta.reasoning is a token',
    data: `{${VLLM},"choices":[{"index":0,"delta":{"content":null,"reasoning":"Hmm"},"logprobs":null,"finish_reason":null}]}`,
    want: { kind: 'chunk', textLength: 3 },
  },
  {
    name: 'vLLM finish chunk with empty content is not a token',
    data: `{${VLLM},"choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}`,
    want: { kind: 'chunk', textLength: 0, finishReason: 'stop' },
  },
  {
    name: 'OpenAI finish chunk with empty delta',
    data: `{${OPENAI},"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"length"}],"usage":null}`,
    want: { kind: 'chunk', textLength: 0, finishReason: 'length' },
  },
  {
    name: 'usage-only final chunk',
    data: `{${VLLM},"choices":[],"usage":{"prompt_tokens":17,"total_tokens":145,"completion_tokens":128}}`,
    want: { kind: 'chunk', textLength: 0, usage: { promptTokens: 17, completionTokens: 128 } },
  },
  {
    name: 'OpenAI usage-only chunk with token details',
    data: `{${OPENAI},"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}`,
    want: { kind: 'chunk', textLength: 0, usage: { promptTokens: 9, completionTokens: 12 } },
  },
  {
    name: 'usage with non-numeric fields is ignored',
    data: `{${VLLM},"choices":[],"usage":{"prompt_tokens":"17","completion_tokens":null}}`,
    want: { kind: 'chunk', textLength: 0, usage: undefined },
  },
  {
    name: 'completions-style choices[0].text',
    data: '{"id":"cmpl-4d1a","object":"text_completion","created":1731513600,"model":"meta-llama/Llama-3.1-8B","choices":[{"index":0,"text":" the","logprobs":null,"finish_reason":null,"stop_reason":null}]}',
    want: { kind: 'chunk', textLength: 4 },
  },
  {
    name: 'completions finish chunk with empty text',
    data: '{"id":"cmpl-4d1a","object":"text_completion","created":1731513600,"model":"m","choices":[{"index":0,"text":"","logprobs":null,"finish_reason":"length","stop_reason":null}]}',
    want: { kind: 'chunk', textLength: 0, finishReason: 'length' },
  },
  {
    name: 'n>1 choices are summed, first finish_reason wins',
    data: `{${VLLM},"choices":[{"index":0,"delta":{"content":"ab"},"finish_reason":null},{"index":1,"delta":{"content":"cde"},"finish_reason":"stop"},{"index":2,"delta":{},"finish_reason":"length"}]}`,
    want: { kind: 'chunk', textLength: 5, finishReason: 'stop' },
  },
  {
    name: 'choices null treated as absent',
    data: `{${VLLM},"choices":null,"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}`,
    want: { kind: 'chunk', textLength: 0, usage: { promptTokens: 1, completionTokens: 2 } },
  },
  {
    name: 'error object event',
    data: '{"error":{"message":"CUDA out of memory","type":"InternalServerError","param":null,"code":500}}',
    want: { kind: 'error', textLength: 0, errorMessage: 'CUDA out of memory' },
  },
  {
    name: 'error string event',
    data: '{"error":"Model is overloaded"}',
    want: { kind: 'error', textLength: 0, errorMessage: 'Model is overloaded' },
  },
  {
    name: "vLLM's object:error shape",
    data: '{"object":"error","message":"This model\'s maximum context length is 4096 tokens.","type":"BadRequestError","param":null,"code":400}',
    want: { kind: 'error', textLength: 0, errorMessage: "This model's maximum context length is 4096 tokens." },
  },
  {
    name: 'error object without message falls back to its JSON',
    data: '{"error":{"code":503}}',
    want: { kind: 'error', textLength: 0, errorMessage: '{"code":503}' },
  },
  {
    name: 'content and error in one chunk is an error',
    data: `{${VLLM},"choices":[{"index":0,"delta":{"content":"partial"},"finish_reason":null}],"error":{"message":"aborted","code":500}}`,
    want: { kind: 'error', textLength: 0, errorMessage: 'aborted' },
  },
  {
    name: 'llama.cpp final chunk with usage and timings',
    data: `{"choices":[{"finish_reason":"stop","index":0,"delta":{}}],${LLAMA},"usage":{"completion_tokens":35,"prompt_tokens":24,"total_tokens":59},"timings":{"cache_n":0,"prompt_n":24,"prompt_ms":30.958,"prompt_per_token_ms":1.2899,"prompt_per_second":775.24,"predicted_n":35,"predicted_ms":661.064,"predicted_per_token_ms":18.887542857142858,"predicted_per_second":52.94494935437416}}`,
    want: {
      kind: 'chunk',
      textLength: 0,
      finishReason: 'stop',
      usage: { promptTokens: 24, completionTokens: 35 },
      timings: { promptMs: 30.958, predictedMs: 661.064, predictedPerTokenMs: 18.887542857142858 },
    },
  },
  {
    name: 'llama.cpp content chunk',
    data: `{"choices":[{"finish_reason":null,"index":0,"delta":{"content":"Sure"}}],${LLAMA}}`,
    want: { kind: 'chunk', textLength: 4, timings: undefined },
  },
  {
    name: 'invalid JSON is malformed',
    data: '{"id":"chatcmpl-9b2e","choices":[{"delta":{"content":"tru',
    want: { kind: 'malformed', textLength: 0, errorMessage: 'invalid JSON in data line: {"id":"chatcmpl-9b2e","choices":[{"delta":{"content":"tru' },
  },
  {
    name: 'long invalid JSON is cut to 80 chars',
    data: 'x'.repeat(200),
    want: { kind: 'malformed', textLength: 0, errorMessage: `invalid JSON in data line: ${'x'.repeat(80)}...` },
  },
  { name: 'JSON array is malformed', data: '[1,2]', want: { kind: 'malformed', textLength: 0 } },
  { name: 'JSON string is malformed', data: '"hello"', want: { kind: 'malformed', textLength: 0 } },
  { name: 'JSON null is malformed', data: 'null', want: { kind: 'malformed', textLength: 0 } },
  { name: 'choices not an array is malformed', data: '{"choices":{"0":{"delta":{"content":"x"}}}}', want: { kind: 'malformed', textLength: 0 } },
  { name: 'empty data is a keep-alive, not a token', data: '', want: { kind: 'chunk', textLength: 0 } },
];

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

  const textCases: { name: string; data: string; text: string; length?: number }[] = [
    { name: 'content', data: `{${VLLM},"choices":[{"index":0,"delta":{"content":"héllo 中😀"}}]}`, text: 'héllo 中😀' },
    // Reasoning is counted as tokens (textLength) but the collected reply is the content only.
    { name: 'reasoning fields are not part of the reply', data: `{${VLLM},"choices":[{"index":0,"delta":{"reasoning":"R","content":"C","reasoning_content":"RC"}}]}`, text: 'C', length: 4 },
    { name: 'role-only chunk', data: `{${VLLM},"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}`, text: '' },
    { name: 'completions text', data: '{"object":"text_completion","choices":[{"index":0,"text":" world"}]}', text: ' world' },
    { name: 'two choices', data: '{"choices":[{"index":0,"delta":{"content":"a"}},{"index":1,"delta":{"content":"b"}}]}', text: 'ab' },
    { name: '[DONE]', data: '[DONE]', text: '' },
  ];
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
