import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { RequestShape } from '../client/request-body.js';
import { tempDir } from '../cli/e2e.test-util.js';
import { writeTokenizer } from '../tokenizer/fixtures.test-util.js';
import { loadTokenizer } from '../tokenizer/tokenizer.js';
import { parseDatasetArg } from './dataset-files.js';
import { parseLength } from './lengths.js';
import { lengthStats, preparePrompts, type PrepareOptions, type PromptPlan } from './prompt-source.js';
import { randomRequest } from './random.js';
import { WORDS } from './synthetic.js';

const tmp = tempDir('prompts');
afterAll(() => tmp.remove());
const sample = (name: string) => fileURLToPath(new URL(`../../datasets/${name}`, import.meta.url));
const shape: RequestShape = { api: 'chat', model: 'm', maxTokens: 128, temperature: null, stream: true, extraBody: null };
const plan = (p: Partial<PromptPlan>): PromptPlan => ({
  dataset: { format: 'random' },
  tokenizer: null,
  inputTokens: parseLength('32', 'x'),
  prefixTokens: 0,
  maxTokens: { kind: 'default', fallback: 128 },
  ignoreEos: false,
  seed: 1,
  turns: null,
  thinkMs: 0,
  documents: 0,
  images: null,
  ...p,
});
const lines: string[] = [];
const opts: PrepareOptions = { api: 'chat', needed: 100, env: { EVALPERF_HUB_URL: 'http://127.0.0.1:1', EVALPERF_CACHE: tmp.path }, say: (l) => lines.push(l) };

describe('preparePrompts', () => {
  it('random prompts without a tokenizer: words, built in the worker from the index', async () => {
    const p = await preparePrompts(plan({ inputTokens: parseLength('10:20', 'x') }), opts);
    expect(p.description).toBe('random prompts of 10:20 words (exact for the built-in simulator, which counts words; pass --tokenizer for a real model)');
    expect(p.info).toMatchObject({ dataset: 'random', tokenizer: null, counted_by: 'words', input_tokens: '10:20', verified: 0 });
    const src = p.source(shape);
    expect(src.kind).toBe('synthetic');
    // The lengths a step sent are the lengths its requests were built with.
    if (src.kind === 'synthetic') expect(p.lengths(2, 50)).toEqual(Array.from({ length: 50 }, (_, i) => randomRequest(src, shape, 2, i).inputTokens));
    const s = p.summary(0, 1000);
    expect(s).toMatchObject({ counted_by: 'words', tokenizer: null, requested: '10:20', count: 1000, min: 10, max: 20 });
    expect(s.mean).toBeGreaterThan(14);
    expect(s.mean).toBeLessThan(16);
  });

  it('random prompts under a tokenizer are checked by re-encoding before the run', async () => {
    const dir = writeTokenizer(join(tmp.path, 'tok'), 'gpt2', WORDS);
    const p = await preparePrompts(plan({ tokenizer: dir, inputTokens: parseLength('200', 'x'), prefixTokens: 50, maxTokens: { kind: 'spec', spec: parseLength('4:8', 'x') }, ignoreEos: true }), opts);
    expect(p.description).toBe(`random prompts of 200 tokens of hf:${dir} (exact: every word one token; 64 prompts re-encoded and counted), the first 50 shared by all`);
    expect(p.info).toMatchObject({ tokenizer: `hf:${dir}`, counted_by: 'tokenizer', prefix_tokens: 50, max_tokens: '4:8', ignore_eos: true, verified: 64 });
    const src = p.source(shape);
    const tok = await loadTokenizer({ kind: 'hf', name: dir, file: join(dir, 'tokenizer.json'), config: null });
    if (src.kind !== 'synthetic') throw new Error('expected random prompts');
    for (let i = 0; i < 10; i++) {
      const body = JSON.parse(randomRequest(src, shape, 1, i).body) as { messages: { content: string }[]; max_tokens: number; min_tokens: number };
      expect(tok.count(body.messages[0]!.content)).toBe(200);
      expect(body.min_tokens).toBe(body.max_tokens);
    }
  });

  it('with a chat template: a chat dataset is counted through it, and random prompts say what it adds', async () => {
    const dir = writeTokenizer(join(tmp.path, 'templated'), 'gpt2', WORDS);
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ chat_template: '{% for m in messages %}<{{ m.role }}> {{ m.content }}\n{% endfor %}<assistant>' }));
    const tok = await loadTokenizer({ kind: 'hf', name: dir, file: join(dir, 'tokenizer.json'), config: join(dir, 'tokenizer_config.json') });
    const lines = join(tmp.path, 'chat.txt');
    writeFileSync(lines, 'the first prompt\nand a second one\n');
    const d = await preparePrompts(plan({ dataset: parseDatasetArg(`lines:${lines}`), tokenizer: dir }), opts);
    expect(d.lengths(0, 2)).toEqual([tok.count('<user> the first prompt\n<assistant>'), tok.count('<user> and a second one\n<assistant>')]);
    expect(d.description).toMatch(/by hf:.* through its chat template\)$/);
    expect(d.info).toMatchObject({ chat_template: true });
    // Completions send the text alone: no template.
    const c = await preparePrompts(plan({ dataset: parseDatasetArg(`lines:${lines}`), tokenizer: dir }), { ...opts, api: 'completions' });
    expect(c.lengths(0, 1)).toEqual([tok.count('the first prompt')]);

    const r = await preparePrompts(plan({ tokenizer: dir, inputTokens: parseLength('40', 'x') }), opts);
    const overhead = tok.countChat([{ role: 'user', content: 'hello' }])! - tok.count('hello');
    expect(r.info).toMatchObject({ chat_template_tokens: overhead });
    expect(r.description).toContain(`the model's chat template adds ${overhead} tokens a request, which the server counts too`);
  });

  it('a dataset: counted with the tokenizer, bodies built once the model is known', async () => {
    const p = await preparePrompts(plan({ dataset: parseDatasetArg(`sharegpt:${sample('sample-sharegpt.json')}`), tokenizer: 'tiktoken:cl100k_base', maxTokens: { kind: 'dataset' } }), opts);
    expect(p.info).toMatchObject({ dataset: 'sharegpt', tokenizer: 'tiktoken:cl100k_base', counted_by: 'tokenizer', prompts: 7, skipped: 1, max_tokens: 'dataset' });
    expect(p.description).toMatch(/^sharegpt:.*sample-sharegpt.json \(7 prompts, 1 conversation without a user turn skipped; [\d.]+ tokens on average by tiktoken:cl100k_base\)$/);
    const src = p.source(shape);
    if (src.kind !== 'list') throw new Error('expected a list');
    expect(src.bodies).toHaveLength(7);
    const first = JSON.parse(src.bodies[0]!) as { model: string; max_tokens: number; messages: { content: string }[] };
    expect(first.model).toBe('m');
    const tok = await loadTokenizer({ kind: 'tiktoken', encoding: 'cl100k_base' });
    const [conv] = JSON.parse(readFileSync(sample('sample-sharegpt.json'), 'utf8')) as { conversations: { value: string }[] }[];
    // max_tokens is the reference reply's length.
    expect(first.max_tokens).toBe(tok.count(conv!.conversations[1]!.value));
    expect(src.inputTokens[0]).toBe(tok.count(first.messages[0]!.content));
    expect(p.lengths(0, 9)).toEqual([...src.inputTokens, src.inputTokens[0], src.inputTokens[1]]);
    expect(p.tokenizer).toEqual({ kind: 'tiktoken', encoding: 'cl100k_base' });
    expect(p.summary(0, 7)).toMatchObject({ counted_by: 'tokenizer', tokenizer: 'tiktoken:cl100k_base', requested: null, count: 7 });
  });

  it('a dataset without a tokenizer is estimated, and says so; reading stops at what the run needs', async () => {
    const p = await preparePrompts(plan({ dataset: parseDatasetArg(`jsonl:${sample('sample-prompts.jsonl')}`) }), { ...opts, needed: 5 });
    expect(p.info).toMatchObject({ counted_by: 'estimate', prompts: 5, max_tokens: "128 (or a line's own)" });
    expect(p.description).toMatch(/5 prompts; [\d.]+ tokens on average by an estimate of ~4 characters a token/);
  });

  it('fails with one line before the run: messages to a completions endpoint, an unknown tokenizer', async () => {
    await expect(preparePrompts(plan({ dataset: parseDatasetArg(`jsonl:${sample('sample-prompts.jsonl')}`) }), { ...opts, api: 'completions' })).rejects.toThrow(/sample-prompts.jsonl:7: chat messages need the chat API/);
    await expect(preparePrompts(plan({ tokenizer: './nowhere' }), opts)).rejects.toThrow(/--tokenizer .\/nowhere: no such file or folder/);
  });
});

describe('lengthStats', () => {
  it('nearest-rank percentiles', () => {
    expect(lengthStats(Array.from({ length: 100 }, (_, i) => i + 1))).toEqual({ count: 100, mean: 50.5, min: 1, p50: 50, p90: 90, p99: 99, max: 100 });
    expect(lengthStats([])).toEqual({ count: 0, mean: 0, min: 0, p50: 0, p90: 0, p99: 0, max: 0 });
  });
});
