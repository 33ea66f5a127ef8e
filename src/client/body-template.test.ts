import { describe, expect, it } from 'vitest';
import { bodyTemplate, fillBody } from './body-template.js';
import { buildRequestBody, type RequestShape } from './request-body.js';

const base: RequestShape = { api: 'chat', model: 'm', maxTokens: 128, temperature: null, stream: true, extraBody: null };
const escaped = (s: string) => JSON.stringify(s).slice(1, -1);

describe('bodyTemplate', () => {
  const shapes: [string, RequestShape, boolean][] = [
    ['chat, streamed', base, false],
    ['chat, --ignore-eos', base, true],
    ['chat, not streamed, a temperature', { ...base, stream: false, temperature: 0.7 }, false],
    ['completions', { ...base, api: 'completions' }, false],
    ['embeddings', { ...base, api: 'embeddings' }, false],
    ['--extra-body overriding max_tokens', { ...base, extraBody: { max_tokens: 5 } }, true],
    ['--extra-body overriding the model and streaming', { ...base, extraBody: { model: 'x', stream: false, top_p: 0.9 } }, false],
    ['--extra-body with nested values and a max-like number', { ...base, extraBody: { n: 1, seed: 128, logit_bias: { '50256': -100 } } }, false],
  ];
  const prompts = ['plain words', 'a "quoted" \\ backslash', 'line\nbreak\ttab \u0001 control', 'é ünïcode 漢字 🙂', ''];

  it.each(shapes)('%s: filling it gives exactly buildRequestBody\'s body', (_name, shape, ignoreEos) => {
    for (const max of [1, 64, 4096]) {
      const t = bodyTemplate(shape, true, ignoreEos)!;
      expect(t).not.toBeNull();
      for (const p of prompts) expect(fillBody(t, escaped(p), max)).toBe(buildRequestBody(shape, p, undefined, max, ignoreEos));
    }
    const none = bodyTemplate({ ...shape, maxTokens: null }, false, ignoreEos)!;
    for (const p of prompts) expect(fillBody(none, escaped(p), 0)).toBe(buildRequestBody({ ...shape, maxTokens: null }, p, undefined, null, ignoreEos));
  });

  it('is made once per shape and flags', () => {
    expect(bodyTemplate(base, true, false)).toBe(bodyTemplate(base, true, false));
    expect(bodyTemplate(base, true, false)).not.toBe(bodyTemplate(base, true, true));
  });

  it('is refused where it could not stand in for the body: rerank, or --extra-body text that looks like a hole', () => {
    expect(bodyTemplate({ ...base, api: 'rerank' }, false, false)).toBeNull();
    expect(bodyTemplate({ ...base, extraBody: { user: '\u0001\u0002evalperf-prompt\u0002\u0001' } }, true, false)).toBeNull();
    expect(bodyTemplate({ ...base, extraBody: { seed: 9_007_199_254_740_881 } }, true, false)).toBeNull();
  });
});
