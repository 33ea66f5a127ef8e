import { describe, expect, it } from 'vitest';
import type { RequestShape } from '../client/request-body.js';
import { buildBody, checkApi, entryMaxTokens, promptText } from './bodies.js';
import type { Entry } from './dataset-files.js';
import { parseLength } from './lengths.js';

const chat: RequestShape = { api: 'chat', model: 'm1', maxTokens: 128, temperature: null, stream: true, extraBody: null };
const completions: RequestShape = { ...chat, api: 'completions' };
const text: Entry = { kind: 'text', loc: 'f:1', text: 'hello there', reference: 'a reply of six words here' };
const messages: Entry = { kind: 'messages', loc: 'f:2', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: [{ type: 'text', text: 'hi' }] }] };
const body: Entry = { kind: 'body', loc: 'f:3', body: { model: 'other', messages: [{ role: 'user', content: 'q' }], max_completion_tokens: 40, temperature: 0.2, tools: [], stream: false } };
const promptBody: Entry = { kind: 'body', loc: 'f:4', body: { prompt: 'p', top_k: 5 } };
const parse = (s: string) => JSON.parse(s) as Record<string, unknown>;

describe('buildBody', () => {
  it('chat: text and prompt bodies become a user message; messages and whole bodies are kept', () => {
    expect(parse(buildBody({ entry: text, inputTokens: 2, maxTokens: 16 }, chat, false))).toEqual({ model: 'm1', messages: [{ role: 'user', content: 'hello there' }], max_tokens: 16, stream: true, stream_options: { include_usage: true } });
    expect(parse(buildBody({ entry: messages, inputTokens: 2, maxTokens: 16 }, chat, false)).messages).toEqual(messages.kind === 'messages' && messages.messages);
    expect(parse(buildBody({ entry: promptBody, inputTokens: 1, maxTokens: 8 }, chat, false))).toEqual({ model: 'm1', messages: [{ role: 'user', content: 'p' }], top_k: 5, max_tokens: 8, stream: true, stream_options: { include_usage: true } });
  });

  it('a whole body keeps its fields; the run sets model, streaming and max_tokens', () => {
    expect(parse(buildBody({ entry: body, inputTokens: 1, maxTokens: 40 }, chat, false))).toEqual({ model: 'm1', messages: [{ role: 'user', content: 'q' }], temperature: 0.2, tools: [], max_tokens: 40, stream: true, stream_options: { include_usage: true } });
  });

  it('completions: the prompt; --temperature, --ignore-eos and --extra-body (last) apply', () => {
    const shape = { ...completions, temperature: 0, stream: false, extraBody: { seed: 7 } };
    expect(parse(buildBody({ entry: text, inputTokens: 2, maxTokens: 12 }, shape, true))).toEqual({ model: 'm1', prompt: 'hello there', max_tokens: 12, temperature: 0, stream: false, ignore_eos: true, min_tokens: 12, seed: 7 });
  });
});

describe('entryMaxTokens', () => {
  it('--max-tokens given: per entry, seeded, overriding a line\'s own', () => {
    const spec = { kind: 'spec' as const, spec: parseLength('4:12', 'x') };
    const xs = Array.from({ length: 100 }, (_, i) => entryMaxTokens(body, null, i, spec, 1));
    expect(Math.min(...xs)).toBe(4);
    expect(Math.max(...xs)).toBe(12);
    expect(Array.from({ length: 100 }, (_, i) => entryMaxTokens(body, null, i, spec, 1))).toEqual(xs);
  });
  it('not given: a line\'s own max_tokens, else the default (a ShareGPT reply only on request)', () => {
    const def = { kind: 'default' as const, fallback: 128 };
    expect(entryMaxTokens(body, null, 0, def, 1)).toBe(40);
    expect(entryMaxTokens(text, 6, 0, def, 1)).toBe(128);
  });
  it('dataset: a line\'s own, or the reference reply\'s tokens; an error naming the line otherwise', () => {
    const ds = { kind: 'dataset' as const };
    expect(entryMaxTokens(body, null, 0, ds, 1)).toBe(40);
    expect(entryMaxTokens(text, 6, 0, ds, 1)).toBe(6);
    expect(() => entryMaxTokens(promptBody, null, 0, ds, 1)).toThrow('f:4: no max_tokens and no reference reply for --max-tokens dataset; add "max_tokens" to the line or give --max-tokens a number');
  });
});

describe('promptText and checkApi', () => {
  it('counts message contents and text parts, or the prompt', () => {
    expect(promptText(messages)).toBe('be brief\nhi');
    expect(promptText(promptBody)).toBe('p');
    expect(promptText(text)).toBe('hello there');
  });
  it('messages cannot go to the completions API', () => {
    expect(() => checkApi(body, 'completions')).toThrow('f:3: chat messages need the chat API; drop --api completions');
    expect(() => checkApi(messages, 'completions')).toThrow(/f:2: chat messages need the chat API/);
    expect(() => checkApi(promptBody, 'completions')).not.toThrow();
    expect(() => checkApi(body, 'chat')).not.toThrow();
  });
});
