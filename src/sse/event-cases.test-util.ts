// Payload shapes shared by the reference decoder's tests (openai-delta.test.ts) and the byte
// fast path's (openai-fast.test.ts): every shape goes through both, and they must agree.
import type { DecodedEvent } from './openai-delta.js';

// Payloads copied in shape from what the servers emit (ids and timestamps shortened).
export const VLLM = '"id":"chatcmpl-9b2e","object":"chat.completion.chunk","created":1731513600,"model":"Qwen/Qwen2.5-7B-Instruct"';
export const OPENAI = '"id":"chatcmpl-B9x","object":"chat.completion.chunk","created":1731513600,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0ba0d124f1"';
export const LLAMA = '"created":1731513600,"id":"chatcmpl-xQ2","model":"qwen2.5-7b-instruct-q4_k_m.gguf","system_fingerprint":"b4600-1a2b3c4d","object":"chat.completion.chunk"';

/** fast: the byte path answers it without JSON.parse (openai-fast.ts); else it must decline. */
export type EventCase = { name: string; data: string; want: Partial<DecodedEvent>; fast?: true };

export const eventCases: EventCase[] = [
  { name: '[DONE]', data: '[DONE]', want: { kind: 'done', textLength: 0 }, fast: true },
  { name: '[DONE] with whitespace', data: ' [DONE] \r', want: { kind: 'done', textLength: 0 } },
  {
    name: 'vLLM role-only first chunk is not a token',
    fast: true,
    data: `{${VLLM},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}`,
    want: { kind: 'chunk', textLength: 0 },
  },
  {
    name: 'OpenAI role-only first chunk with usage null and refusal null',
    fast: true,
    data: `{${OPENAI},"choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}`,
    want: { kind: 'chunk', textLength: 0, usage: undefined },
  },
  {
    name: 'content chunk is a token',
    fast: true,
    data: `{${VLLM},"choices":[{"index":0,"delta":{"content":" Hello"},"logprobs":null,"finish_reason":null}]}`,
    want: { kind: 'chunk', textLength: 6 },
  },
  {
    name: 'OpenAI content chunk with usage null gives no usage',
    fast: true,
    data: `{${OPENAI},"choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}],"usage":null}`,
    want: { kind: 'chunk', textLength: 2, usage: undefined },
  },
  {
    name: 'content null is no text',
    fast: true,
    data: `{${VLLM},"choices":[{"index":0,"delta":{"content":null},"logprobs":null,"finish_reason":null}]}`,
    want: { kind: 'chunk', textLength: 0 },
  },
  {
    name: 'vLLM reasoning_content is a token',
    fast: true,
    data: `{${VLLM},"choices":[{"index":0,"delta":{"reasoning_content":"Okay, let"},"logprobs":null,"finish_reason":null}]}`,
    want: { kind: 'chunk', textLength: 9 },
  },
  {
    name: 'delta.reasoning is a token',
    fast: true,
    data: `{${VLLM},"choices":[{"index":0,"delta":{"content":null,"reasoning":"Hmm"},"logprobs":null,"finish_reason":null}]}`,
    want: { kind: 'chunk', textLength: 3 },
  },
  {
    name: 'vLLM finish chunk with empty content is not a token',
    fast: true,
    data: `{${VLLM},"choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}`,
    want: { kind: 'chunk', textLength: 0, finishReason: 'stop' },
  },
  {
    name: 'OpenAI finish chunk with empty delta',
    fast: true,
    data: `{${OPENAI},"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"length"}],"usage":null}`,
    want: { kind: 'chunk', textLength: 0, finishReason: 'length' },
  },
  {
    name: 'usage-only final chunk',
    fast: true,
    data: `{${VLLM},"choices":[],"usage":{"prompt_tokens":17,"total_tokens":145,"completion_tokens":128}}`,
    want: { kind: 'chunk', textLength: 0, usage: { promptTokens: 17, completionTokens: 128 } },
  },
  {
    name: 'OpenAI usage-only chunk with token details',
    fast: true,
    data: `{${OPENAI},"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}`,
    want: { kind: 'chunk', textLength: 0, usage: { promptTokens: 9, completionTokens: 12 } },
  },
  {
    name: 'usage with non-numeric fields is ignored',
    data: `{${VLLM},"choices":[],"usage":{"prompt_tokens":"17","completion_tokens":null}}`,
    want: { kind: 'chunk', textLength: 0, usage: undefined },
  },
  {
    name: 'usage with one count only gives no usage',
    fast: true,
    data: `{${VLLM},"choices":[],"usage":{"prompt_tokens":17,"total_tokens":17}}`,
    want: { kind: 'chunk', textLength: 0, usage: undefined },
  },
  {
    name: 'usage on a content chunk (vLLM continuous_usage_stats)',
    fast: true,
    data: `{${VLLM},"choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}],"usage":{"prompt_tokens":5,"total_tokens":7,"completion_tokens":2}}`,
    want: { kind: 'chunk', textLength: 2, usage: { promptTokens: 5, completionTokens: 2 } },
  },
  {
    name: 'usage counts written as floats are read by the reference',
    data: `{${VLLM},"choices":[],"usage":{"prompt_tokens":17.0,"completion_tokens":1e2}}`,
    want: { kind: 'chunk', textLength: 0, usage: { promptTokens: 17, completionTokens: 100 } },
  },
  {
    name: 'usage that is not an object gives no usage',
    data: `{${VLLM},"choices":[],"usage":5}`,
    want: { kind: 'chunk', textLength: 0, usage: undefined },
  },
  {
    name: 'a repeated usage count: the last one wins',
    data: `{${VLLM},"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"prompt_tokens":3}}`,
    want: { kind: 'chunk', textLength: 0, usage: { promptTokens: 3, completionTokens: 2 } },
  },
  {
    name: 'a repeated usage object: the last one wins',
    data: `{${VLLM},"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2},"usage":null}`,
    want: { kind: 'chunk', textLength: 0, usage: undefined },
  },
  {
    name: 'a usage count with a leading zero is not JSON',
    data: `{${VLLM},"choices":[],"usage":{"prompt_tokens":017,"completion_tokens":2}}`,
    want: { kind: 'malformed', textLength: 0 },
  },
  {
    name: 'completions-style choices[0].text',
    fast: true,
    data: '{"id":"cmpl-4d1a","object":"text_completion","created":1731513600,"model":"meta-llama/Llama-3.1-8B","choices":[{"index":0,"text":" the","logprobs":null,"finish_reason":null,"stop_reason":null}]}',
    want: { kind: 'chunk', textLength: 4 },
  },
  {
    name: 'completions finish chunk with empty text',
    fast: true,
    data: '{"id":"cmpl-4d1a","object":"text_completion","created":1731513600,"model":"m","choices":[{"index":0,"text":"","logprobs":null,"finish_reason":"length","stop_reason":null}]}',
    want: { kind: 'chunk', textLength: 0, finishReason: 'length' },
  },
  {
    name: 'n>1 choices are summed, first finish_reason wins',
    fast: true,
    data: `{${VLLM},"choices":[{"index":0,"delta":{"content":"ab"},"finish_reason":null},{"index":1,"delta":{"content":"cde"},"finish_reason":"stop"},{"index":2,"delta":{},"finish_reason":"length"}]}`,
    want: { kind: 'chunk', textLength: 5, finishReason: 'stop' },
  },
  {
    name: 'choices null treated as absent',
    fast: true,
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
    fast: true,
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
  // Shapes of other servers, escapes, tool calls: the fast path must agree with the reference.
  {
    name: 'SGLang content chunk with null role, reasoning_content and tool_calls',
    data: `{${VLLM},"choices":[{"index":0,"delta":{"role":null,"content":" the","reasoning_content":null,"tool_calls":null},"logprobs":null,"finish_reason":null,"matched_stop":null}],"usage":null}`,
    want: { kind: 'chunk', textLength: 4 },
    fast: true,
  },
  {
    name: 'TGI chunk with role and content together',
    data: '{"object":"chat.completion.chunk","id":"","created":1731513600,"model":"tgi","system_fingerprint":"3.0.1-native","choices":[{"index":0,"delta":{"role":"assistant","content":" Hi"},"logprobs":null,"finish_reason":null}],"usage":null}',
    want: { kind: 'chunk', textLength: 3 },
    fast: true,
  },
  {
    name: 'OpenAI chunk with obfuscation padding and timings/error null',
    data: `{${OPENAI},"choices":[{"index":0,"delta":{"content":"ok"},"logprobs":null,"finish_reason":null}],"usage":null,"timings":null,"error":null,"obfuscation":"x7Q"}`,
    want: { kind: 'chunk', textLength: 2 },
    fast: true,
  },
  {
    name: 'escapes in content count as the characters they stand for',
    data: `{${VLLM},"choices":[{"index":0,"delta":{"content":"a\\nb \\"q\\" \\\\ \\/ \\t\\r\\b\\f caf\\u00e9 \\ud83d\\ude00 \\ud800"}}]}`,
    want: { kind: 'chunk', textLength: 'a\nb "q" \\ / \t\r\b\f café 😀 \ud800'.length },
    fast: true,
  },
  {
    name: 'escaped finish_reason',
    data: `{${VLLM},"choices":[{"index":0,"delta":{},"finish_reason":"st\\u006fp"}]}`,
    want: { kind: 'chunk', textLength: 0, finishReason: 'stop' },
    fast: true,
  },
  {
    name: 'tool call opening delta is not text',
    data: `{${VLLM},"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"chatcmpl-tool-1","type":"function","function":{"name":"get_weather","arguments":""}}]},"logprobs":null,"finish_reason":null}]}`,
    want: { kind: 'chunk', textLength: 0 },
    fast: true,
  },
  {
    name: 'tool call arguments delta with escaped JSON is not text',
    data: `{${OPENAI},"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"city\\": \\"Par"}}]},"logprobs":null,"finish_reason":null}],"usage":null}`,
    want: { kind: 'chunk', textLength: 0 },
    fast: true,
  },
  {
    name: 'finish_reason tool_calls',
    data: `{${OPENAI},"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":null}`,
    want: { kind: 'chunk', textLength: 0, finishReason: 'tool_calls' },
    fast: true,
  },
  {
    name: 'chunk logprobs with negative and exponent numbers',
    data: `{${VLLM},"choices":[{"index":0,"delta":{"content":" the"},"logprobs":{"content":[{"token":" the","logprob":-1.2e-05,"bytes":[32,116,104,101],"top_logprobs":[{"token":" the","logprob":-0.0123,"bytes":[32,116,104,101]},{"token":" a","logprob":-4.5E+0,"bytes":null}]}]},"finish_reason":null}]}`,
    want: { kind: 'chunk', textLength: 4 },
    fast: true,
  },
  { name: 'whitespace between tokens', data: ' { "choices" : [ { "delta" : { "content" : "xy" } , "finish_reason" : null } ] , "x" : [ 1 , true , false , { } , [ ] ] } ', want: { kind: 'chunk', textLength: 2 }, fast: true },
  { name: 'non-object choices are skipped', data: '{"choices":[null,1,"s",[],{"index":0,"delta":{"content":"ab"}}]}', want: { kind: 'chunk', textLength: 2 }, fast: true },
  { name: 'delta that is not an object carries no text', data: '{"choices":[{"delta":["content"],"text":5},{"delta":"x"}]}', want: { kind: 'chunk', textLength: 0 }, fast: true },
  { name: 'content that is not a string carries no text', data: '{"choices":[{"delta":{"content":5,"reasoning":{"a":1},"reasoning_content":[]}}]}', want: { kind: 'chunk', textLength: 0 }, fast: true },
  { name: 'empty object', data: '{}', want: { kind: 'chunk', textLength: 0 }, fast: true },
  { name: 'object field that is not a string', data: '{"object":{"k":"error"},"choices":[{"delta":{"content":"z"}}]}', want: { kind: 'chunk', textLength: 1 }, fast: true },
  // Declined: the reference decides.
  { name: 'repeated content: the last one counts', data: '{"choices":[{"delta":{"content":"a","content":"bcd"}}]}', want: { kind: 'chunk', textLength: 3 } },
  { name: 'escaped member name spelling content', data: '{"choices":[{"delta":{"cont\\u0065nt":"abc"}}]}', want: { kind: 'chunk', textLength: 3 } },
  { name: 'escaped object:error', data: '{"object":"\\u0065rror","message":"boom"}', want: { kind: 'error', textLength: 0, errorMessage: 'boom' } },
  { name: 'repeated choices: the last one counts', data: '{"choices":[{"delta":{"content":"a"}}],"choices":[]}', want: { kind: 'chunk', textLength: 0 } },
  { name: 'deep nesting in a skipped field', data: `{"x":${'['.repeat(40)}${']'.repeat(40)},"choices":[{"delta":{"content":"a"}}]}`, want: { kind: 'chunk', textLength: 1 } },
  { name: 'trailing comma is malformed', data: '{"choices":[],}', want: { kind: 'malformed', textLength: 0 } },
  { name: 'leading zero is malformed', data: '{"created":01,"choices":[]}', want: { kind: 'malformed', textLength: 0 } },
  { name: 'bare minus is malformed', data: '{"created":-,"choices":[]}', want: { kind: 'malformed', textLength: 0 } },
  { name: 'fraction without digits is malformed', data: '{"created":1.,"choices":[]}', want: { kind: 'malformed', textLength: 0 } },
  { name: 'bad escape is malformed', data: '{"choices":[{"delta":{"content":"a\\xb"}}]}', want: { kind: 'malformed', textLength: 0 } },
  { name: 'short unicode escape is malformed', data: '{"choices":[{"delta":{"content":"\\u12"}}]}', want: { kind: 'malformed', textLength: 0 } },
  { name: 'raw tab in a string is malformed', data: '{"choices":[{"delta":{"content":"a\tb"}}]}', want: { kind: 'malformed', textLength: 0 } },
  { name: 'misspelt literal is malformed', data: '{"usage":nul,"choices":[]}', want: { kind: 'malformed', textLength: 0 } },
  { name: 'single quotes are malformed', data: "{'choices':[]}", want: { kind: 'malformed', textLength: 0 } },
  { name: 'trailing garbage is malformed', data: '{"choices":[]} x', want: { kind: 'malformed', textLength: 0 } },
  { name: 'two objects are malformed', data: '{}{}', want: { kind: 'malformed', textLength: 0 } },
  { name: 'unclosed object is malformed', data: '{"choices":[{"delta":{"content":"a"}}]', want: { kind: 'malformed', textLength: 0 } },
];

export const textCases: { name: string; data: string; text: string; length?: number }[] = [
  { name: 'escaped content', data: `{${VLLM},"choices":[{"index":0,"delta":{"content":"say \\"hi\\"\\n\\u00e9\\ud83d\\ude00"}}]}`, text: 'say "hi"\né😀' },
  { name: 'content then text, choice by choice', data: '{"choices":[{"text":"2","delta":{"content":"1"}},{"delta":{"content":"3"},"text":"4"}]}', text: '1234' },
  { name: 'content', data: `{${VLLM},"choices":[{"index":0,"delta":{"content":"héllo 中😀"}}]}`, text: 'héllo 中😀' },
  // Reasoning is counted as tokens (textLength) but the collected reply is the content only.
  { name: 'reasoning fields are not part of the reply', data: `{${VLLM},"choices":[{"index":0,"delta":{"reasoning":"R","content":"C","reasoning_content":"RC"}}]}`, text: 'C', length: 4 },
  { name: 'role-only chunk', data: `{${VLLM},"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}`, text: '' },
  { name: 'completions text', data: '{"object":"text_completion","choices":[{"index":0,"text":" world"}]}', text: ' world' },
  { name: 'two choices', data: '{"choices":[{"index":0,"delta":{"content":"a"}},{"index":1,"delta":{"content":"b"}}]}', text: 'ab' },
  { name: '[DONE]', data: '[DONE]', text: '' },
];
