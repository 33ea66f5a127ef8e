import { describe, expect, it } from 'vitest';
import { resolveTarget } from './target.js';

describe('resolveTarget', () => {
  it.each([
    ['http://h:8000/v1', null, 'http://h:8000', '/v1/chat/completions', '/v1/models', 'chat'],
    ['http://h:8000/v1/', 'completions', 'http://h:8000', '/v1/completions', '/v1/models', 'completions'],
    ['http://h:8000/v1/chat/completions', null, 'http://h:8000', '/v1/chat/completions', '/v1/models', 'chat'],
    ['http://h:8000/v1/completions', null, 'http://h:8000', '/v1/completions', '/v1/models', 'completions'],
    ['https://api.example.com/openai/v1?api-version=2', null, 'https://api.example.com', '/openai/v1/chat/completions?api-version=2', '/openai/v1/models?api-version=2', 'chat'],
    ['http://h:8000', null, 'http://h:8000', '/chat/completions', '/models', 'chat'],
    ['http://h:8000/v1', 'embeddings', 'http://h:8000', '/v1/embeddings', '/v1/models', 'embeddings'],
    ['http://h:8000/v1/embeddings', null, 'http://h:8000', '/v1/embeddings', '/v1/models', 'embeddings'],
    ['http://h:8000/v1', 'rerank', 'http://h:8000', '/v1/rerank', '/v1/models', 'rerank'],
    ['http://h:8000/v1/rerank', null, 'http://h:8000', '/v1/rerank', '/v1/models', 'rerank'],
  ] as const)('%s (api %s)', (url, api, origin, endpoint, models, kind) => {
    const t = resolveTarget(url, api);
    expect(t).toMatchObject({ origin, endpointPath: endpoint, modelsPath: models, api: kind });
  });
  it('shows credentials in the query as *** but sends them', () => {
    const t = resolveTarget('https://h/v1?api_key=QSECRET&api-version=2024-06-01&sig=abc', null);
    expect(t.display).toBe('https://h/v1?api_key=***&api-version=2024-06-01&sig=***');
    expect(t.endpointPath).toBe('/v1/chat/completions?api_key=QSECRET&api-version=2024-06-01&sig=abc');
  });
  it.each([
    ['not a url', null, /is not a URL/],
    ['ftp://h/v1', null, /only http/],
    ['http://user:secret@h/v1', null, /credentials/],
    ['http://h/v1/chat/completions', 'completions', /--api is completions/],
    ['http://h/v1/embeddings', 'chat', /--url ends in \/embeddings but --api is chat/],
  ] as const)('rejects %s', (url, api, msg) => {
    expect(() => resolveTarget(url, api)).toThrow(msg);
  });
});
