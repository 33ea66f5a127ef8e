import { describe, expect, it } from 'vitest';
import {
  decodeBase64,
  DEFAULT_EMBEDDING_DIM,
  embedding,
  encodeBase64,
  parseEmbeddingRequest,
  parseRerankRequest,
  poolingBody,
  rankOrder,
  rerankScores,
} from './pooling.js';
import { SimHttpError } from './protocol.js';

const norm = (v: Float32Array) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));

describe('parseEmbeddingRequest', () => {
  it.each([
    ['a string', { input: 'one two three' }, 1, [3]],
    ['strings', { input: ['one two', 'three', 'four five six'] }, 3, [2, 1, 3]],
    ['one list of token ids', { input: [5, 6, 7, 8] }, 1, [4]],
    ['lists of token ids', { input: [[1, 2], [3]] }, 2, [2, 1]],
    ['whitespace-only text (no words)', { input: '  ' }, 1, [0]],
  ])('accepts %s', (_, body, items, tokens) => {
    const r = parseEmbeddingRequest(body);
    expect(r.inputs.length).toBe(items);
    expect(r.tokens).toEqual(tokens);
    expect(r.promptTokens).toBe(tokens.reduce((a, b) => a + b, 0));
    expect(r).toMatchObject({ api: 'embeddings', model: undefined, encoding: 'float', dimensions: DEFAULT_EMBEDDING_DIM });
  });

  it('reads model, encoding_format and dimensions', () => {
    expect(parseEmbeddingRequest({ model: 'm', input: 'x', encoding_format: 'base64', dimensions: 64 })).toMatchObject({
      model: 'm',
      encoding: 'base64',
      dimensions: 64,
    });
  });

  it.each([
    ['not an object', [1], null],
    ['no input', { model: 'm' }, 'input'],
    ['null input', { input: null }, 'input'],
    ['empty string', { input: '' }, 'input'],
    ['empty array', { input: [] }, 'input'],
    ['an empty string item', { input: ['a', ''] }, 'input'],
    ['an empty token list', { input: [[1], []] }, 'input'],
    ['mixed items', { input: ['a', [1]] }, 'input'],
    ['negative token ids', { input: [1, -2] }, 'input'],
    ['a number', { input: 3 }, 'input'],
    ['bad encoding_format', { input: 'x', encoding_format: 'bytes' }, 'encoding_format'],
    ['dimensions 0', { input: 'x', dimensions: 0 }, 'dimensions'],
    ['fractional dimensions', { input: 'x', dimensions: 1.5 }, 'dimensions'],
    ['a non-string model', { input: 'x', model: 3 }, 'model'],
  ])('rejects %s with 400', (_, body, param) => {
    const err = (() => {
      try {
        parseEmbeddingRequest(body);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(SimHttpError);
    expect((err as SimHttpError).status).toBe(400);
    expect((err as SimHttpError).param).toBe(param);
  });
});

describe('parseRerankRequest', () => {
  it('counts query + document words for each pair, as vLLM scores pairs', () => {
    const r = parseRerankRequest({ model: 'm', query: 'a b', documents: ['c d e', { text: 'f' }, ''] });
    expect(r).toMatchObject({ api: 'rerank', model: 'm', query: 'a b', documents: ['c d e', 'f', ''], returnDocuments: true, topN: 3 });
    expect(r.promptTokens).toBe(2 + 3 + (2 + 1) + (2 + 0));
  });

  it.each([
    [undefined, 3],
    [0, 3],
    [2, 2],
    [9, 3],
  ])('top_n %s returns %i results', (top_n, n) => {
    expect(parseRerankRequest({ query: 'q', documents: ['a', 'b', 'c'], top_n }).topN).toBe(n);
  });

  it('takes a lone string as one document and return_documents false', () => {
    expect(parseRerankRequest({ query: 'q', documents: 'd', return_documents: false })).toMatchObject({ documents: ['d'], returnDocuments: false });
  });

  it.each([
    ['no query', { documents: ['a'] }, 'query'],
    ['empty query', { query: '', documents: ['a'] }, 'query'],
    ['no documents', { query: 'q' }, 'documents'],
    ['empty documents', { query: 'q', documents: [] }, 'documents'],
    ['a bad document', { query: 'q', documents: ['a', { content: 'b' }] }, 'documents'],
    ['negative top_n', { query: 'q', documents: ['a'], top_n: -1 }, 'top_n'],
    ['non-boolean return_documents', { query: 'q', documents: ['a'], return_documents: 'yes' }, 'return_documents'],
  ])('rejects %s with 400', (_, body, param) => {
    expect(() => parseRerankRequest(body)).toThrow(SimHttpError);
    try {
      parseRerankRequest(body);
    } catch (e) {
      expect((e as SimHttpError).param).toBe(param);
    }
  });
});

describe('embeddings', () => {
  it('are deterministic unit vectors, distinct per input, prefixes across dimensions', () => {
    const a = embedding('hello world', 384);
    expect(a.length).toBe(384);
    expect(norm(a)).toBeCloseTo(1, 5);
    expect(embedding('hello world', 384)).toEqual(a);
    expect(embedding('hello there', 384)).not.toEqual(a);
    expect(embedding([1, 2, 3], 16)).not.toEqual(embedding([1, 2, 4], 16));
    // Matryoshka-like: a shorter vector points the same way as the longer one's head.
    const short = embedding('hello world', 8);
    const ratio = (short[0] as number) / (a[0] as number);
    for (let i = 0; i < 8; i++) expect((short[i] as number) / (a[i] as number)).toBeCloseTo(ratio, 4);
  });

  it('base64 is little-endian float32 and round-trips exactly', () => {
    const v = embedding('round trip', 33);
    const b64 = encodeBase64(v);
    expect(Buffer.from(b64, 'base64').length).toBe(33 * 4);
    expect(Buffer.from(b64, 'base64').readFloatLE(4)).toBe(v[1]);
    expect(decodeBase64(b64)).toEqual(v);
  });

  it('renders the OpenAI/vLLM list shape; base64 carries the same numbers as float', () => {
    const req = parseEmbeddingRequest({ input: ['a b', 'c'], dimensions: 4 });
    const body = JSON.parse(poolingBody(req, 'sim-llm')) as Record<string, any>;
    expect(Object.keys(body)).toEqual(['id', 'object', 'created', 'model', 'data', 'usage']);
    expect(body.id).toMatch(/^embd-[0-9a-f]+$/);
    expect(body).toMatchObject({ object: 'list', model: 'sim-llm' });
    expect(body.usage).toEqual({ prompt_tokens: 3, total_tokens: 3, completion_tokens: 0, prompt_tokens_details: null });
    expect(body.data.map((d: any) => [d.index, d.object, d.embedding.length])).toEqual([
      [0, 'embedding', 4],
      [1, 'embedding', 4],
    ]);
    const b = JSON.parse(poolingBody({ ...req, encoding: 'base64' }, 'sim-llm')) as Record<string, any>;
    expect(typeof b.data[1].embedding).toBe('string');
    expect(Array.from(decodeBase64(b.data[1].embedding))).toEqual(body.data[1].embedding);
  });
});

describe('rerank', () => {
  const docs = ['nothing relevant here', 'the cat sat', 'a cat on the mat', 'Cat. Mat! Sat?'];

  it('scores in [0, 1) by query word overlap, stably', () => {
    const s = rerankScores('cat sat mat', docs);
    for (const x of s) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    expect(rerankScores('cat sat mat', docs)).toEqual(s);
    expect(rankOrder(s)[0]).toBe(3); // all three words (case and punctuation ignored)
    expect(rankOrder(s).at(-1)).toBe(0); // none
    expect(s[1]).not.toBe(s[2]); // same overlap (2 of 3), told apart by the per-pair hash
    expect(Math.abs((s[1] as number) - (s[2] as number))).toBeLessThan(0.1);
  });

  it('orders equal scores by index', () => {
    expect(rankOrder([0.5, 0.9, 0.5, 0.9])).toEqual([1, 3, 0, 2]);
  });

  it('renders results sorted by score, top_n applied, documents unless return_documents is false', () => {
    const req = parseRerankRequest({ query: 'cat sat mat', documents: docs, top_n: 2 });
    const body = JSON.parse(poolingBody(req, 'm')) as Record<string, any>;
    expect(Object.keys(body)).toEqual(['id', 'model', 'usage', 'results']);
    expect(body.id).toMatch(/^rerank-/);
    expect(body.usage).toEqual({ prompt_tokens: req.promptTokens, total_tokens: req.promptTokens });
    expect(body.results.length).toBe(2);
    expect(body.results[0]).toEqual({ index: 3, document: { text: docs[3] }, relevance_score: expect.any(Number) });
    expect(body.results[0].relevance_score).toBeGreaterThan(body.results[1].relevance_score);
    const bare = JSON.parse(poolingBody({ ...req, returnDocuments: false }, 'm')) as Record<string, any>;
    expect(Object.keys(bare.results[0])).toEqual(['index', 'relevance_score']);
  });
});
