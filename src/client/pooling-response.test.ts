import { describe, expect, it } from 'vitest';
import { decodePoolingResponse, type PoolingApi } from './pooling-response.js';

describe('decodePoolingResponse', () => {
  it.each<[string, PoolingApi, unknown, object]>([
    ['embeddings with usage', 'embeddings', { object: 'list', data: [{ index: 0, object: 'embedding', embedding: [0.1, -0.2] }], usage: { prompt_tokens: 7, total_tokens: 7 } }, { kind: 'ok', textLength: 1, usage: { promptTokens: 7, completionTokens: 0 } }],
    ['base64 embeddings, several inputs, no usage', 'embeddings', { data: [{ embedding: 'AAAAPw==' }, { embedding: 'AACAPw==' }] }, { kind: 'ok', textLength: 2 }],
    ['rerank (vLLM: usage.total_tokens)', 'rerank', { id: 'rerank-1', results: [{ index: 1, relevance_score: 0.9 }, { index: 0, relevance_score: 0.1 }], usage: { total_tokens: 40 } }, { kind: 'ok', textLength: 2, usage: { promptTokens: 40, completionTokens: 0 } }],
    ['an OpenAI error object', 'embeddings', { error: { message: 'model not found', type: 'invalid_request_error' } }, { kind: 'error', errorMessage: 'model not found' }],
    ['a vLLM error object', 'rerank', { object: 'error', message: 'too long', code: 400 }, { kind: 'error', errorMessage: 'too long' }],
    ['a chat answer to an embeddings request', 'embeddings', { choices: [{ message: { content: 'hi' } }] }, { kind: 'malformed', errorMessage: expect.stringMatching(/no "data" array .*is --url an embeddings endpoint/) }],
    ['an empty embedding', 'embeddings', { data: [{ embedding: [] }] }, { kind: 'malformed', errorMessage: expect.stringMatching(/has no "embedding"/) }],
    ['a result without a score', 'rerank', { results: [{ index: 0 }] }, { kind: 'malformed', errorMessage: expect.stringMatching(/lacks "index" or "relevance_score"/) }],
  ])('%s', (_name, api, body, expected) => {
    expect(decodePoolingResponse(api, JSON.stringify(body))).toMatchObject(expected);
  });

  it('names a body that is not JSON', () => {
    expect(decodePoolingResponse('rerank', '<html>502</html>')).toMatchObject({ kind: 'malformed', errorMessage: 'response body is not JSON: <html>502</html>' });
  });
});
