import { describe, expect, it } from 'vitest';
import { buildRequestBody } from '../client/request-body.js';
import { parseLength } from './lengths.js';
import { prefixText, randomPrompt, randomRequest, RERANK_QUERY_TOKENS, rerankLength, type RandomPromptSpec } from './random.js';
import { WORDS } from './synthetic.js';

/** The built-in simulator's rule: whitespace-separated words. */
const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

const spec = (input: string, prefixTokens = 0, seed = 1): RandomPromptSpec => ({
  words: WORDS,
  prefix: prefixText(WORDS, prefixTokens, seed),
  prefixTokens,
  inputTokens: parseLength(input, '--input-tokens'),
  seed,
  marker: true,
});

describe('randomPrompt without a tokenizer (counted as words)', () => {
  it.each(['1', '2', '17', '256', '4096'])('%s tokens is that many words', (n) => {
    const p = randomPrompt(spec(n), 0, 3);
    expect(p.tokens).toBe(Number(n));
    expect(words(p.text)).toBe(Number(n));
  });

  it('draws lengths from a range, per request, reproducibly', () => {
    const s = spec('8:40');
    const lengths = Array.from({ length: 300 }, (_, i) => randomPrompt(s, 0, i).tokens);
    expect(Math.min(...lengths)).toBe(8);
    expect(Math.max(...lengths)).toBe(40);
    for (let i = 0; i < 300; i++) expect(words(randomPrompt(s, 0, i).text)).toBe(lengths[i]);
    expect(Array.from({ length: 300 }, (_, i) => randomPrompt(s, 0, i).tokens)).toEqual(lengths);
  });

  it('starts with r<index>, the key of the simulator\'s request log, when there is no prefix', () => {
    expect(randomPrompt(spec('5'), 0, 17).text).toMatch(/^r17 \w+ \w+ \w+ \w+$/);
    expect(randomPrompt(spec('1'), 2, 3).text).toBe('r3');
  });

  it('every prompt of every stream differs within its first words (no prefix-cache block shared by accident)', () => {
    const s = spec('64');
    const heads = new Set<string>();
    for (const stream of [0, 1, 7]) for (let i = 0; i < 3000; i++) heads.add(randomPrompt(s, stream, i).text.split(' ').slice(0, 5).join(' '));
    expect(heads.size).toBe(9000);
  });

  it('a shared prefix is the same for all, counted in the length, and prompts part right after it', () => {
    const s = spec('100', 60);
    const a = randomPrompt(s, 0, 0).text.split(' ');
    const b = randomPrompt(s, 0, 1).text.split(' ');
    expect(a).toHaveLength(100);
    expect(a.slice(0, 60)).toEqual(b.slice(0, 60));
    expect(a[60]).not.toBe(b[60]);
    expect(randomPrompt(spec('100', 60, 2), 0, 0).text.split(' ').slice(0, 60)).not.toEqual(a.slice(0, 60));
  });

  it('depends on the seed', () => {
    expect(randomPrompt(spec('64', 0, 9), 0, 5).text).toBe(randomPrompt(spec('64', 0, 9), 0, 5).text);
    expect(randomPrompt(spec('64', 0, 9), 0, 5).text).not.toBe(randomPrompt(spec('64', 0, 10), 0, 5).text);
  });
});

describe('randomRequest', () => {
  const shape = { api: 'chat' as const, model: 'm', maxTokens: 128, temperature: null, stream: true, extraBody: null };

  it('is the plain request body when max_tokens is the shape\'s', () => {
    const src = { prompts: spec('12'), maxTokens: null, ignoreEos: false, documents: 0, images: null };
    const r = randomRequest(src, shape, 0, 4);
    expect(r.inputTokens).toBe(12);
    expect(r.body).toBe(buildRequestBody(shape, randomPrompt(src.prompts, 0, 4).text));
  });

  it('draws max_tokens per request and with --ignore-eos asks for exactly that many', () => {
    const src = { prompts: spec('12'), maxTokens: parseLength('4:12', 'x'), ignoreEos: true, documents: 0, images: null };
    const bodies = Array.from({ length: 200 }, (_, i) => JSON.parse(randomRequest(src, { ...shape, extraBody: { top_p: 0.5 } }, 0, i).body) as Record<string, number | boolean>);
    const max = bodies.map((b) => b.max_tokens as number);
    expect(Math.min(...max)).toBe(4);
    expect(Math.max(...max)).toBe(12);
    expect(bodies.every((b) => b.min_tokens === b.max_tokens && b.ignore_eos === true && b.top_p === 0.5)).toBe(true);
  });

  it('lets --extra-body override what --ignore-eos sets', () => {
    const src = { prompts: spec('12'), maxTokens: null, ignoreEos: true, documents: 0, images: null };
    const body = JSON.parse(randomRequest(src, { ...shape, extraBody: { min_tokens: 1 } }, 0, 0).body) as Record<string, unknown>;
    expect(body).toMatchObject({ max_tokens: 128, min_tokens: 1, ignore_eos: true });
    // The max_tokens a record carries is the one sent: --extra-body's when it sets one.
    expect(randomRequest(src, shape, 0, 0).maxTokens).toBe(128);
    const over = randomRequest(src, { ...shape, extraBody: { max_tokens: 7 } }, 0, 0);
    expect([JSON.parse(over.body).max_tokens, over.maxTokens]).toEqual([7, 7]);
  });

  it('--api embeddings: the prompt is the input, nothing else but the model and --extra-body', () => {
    const src = { prompts: spec('12'), maxTokens: null, ignoreEos: false, documents: 0, images: null };
    const r = randomRequest(src, { ...shape, api: 'embeddings', extraBody: { dimensions: 64 } }, 0, 3);
    expect(JSON.parse(r.body)).toEqual({ model: 'm', input: randomPrompt(src.prompts, 0, 3).text, dimensions: 64 });
    expect(r.inputTokens).toBe(12);
  });

  it('--api rerank: a short query and distinct documents of --input-tokens, counted exactly', () => {
    const src = { prompts: spec('10:20'), maxTokens: null, ignoreEos: false, documents: 3, images: null };
    const texts = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const r = randomRequest(src, { ...shape, api: 'rerank' }, 1, i);
      const b = JSON.parse(r.body) as { model: string; query: string; documents: string[] };
      expect(Object.keys(b)).toEqual(['model', 'query', 'documents']);
      expect(b.query.split(' ')).toHaveLength(RERANK_QUERY_TOKENS);
      expect(b.documents).toHaveLength(3);
      const words = [b.query, ...b.documents].reduce((a, t) => a + t.split(' ').length, 0);
      expect(r.inputTokens).toBe(words);
      expect(rerankLength(src.prompts, 3, 1, i)).toBe(words);
      for (const t of [b.query, ...b.documents]) texts.add(t);
    }
    expect(texts.size).toBe(50 * 4);
  });
});

describe('randomPrompt longer than its word pool', () => {
  it('is still exactly as many words, the pool taken around more than once', () => {
    const p = randomPrompt(spec('150000'), 0, 1);
    expect(words(p.text)).toBe(150_000);
    expect(p.tokens).toBe(150_000);
  });
});
