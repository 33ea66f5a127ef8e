import { describe, expect, it } from 'vitest';
import { checkNames, keyVariable, parseJudgeSpec, parseModelSpec, resolveKey } from './model-spec.js';

describe('model specs', () => {
  it.each([
    ['a=http://h1:8000/v1#modelA', { name: 'a', url: 'http://h1:8000/v1', model: 'modelA' }],
    ['llama-3.1_8b=http://h:8000/v1', { name: 'llama-3.1_8b', url: 'http://h:8000/v1', model: null }],
    ['b=https://api.example.com/v1#meta-llama/Llama-3-8B#q4', { name: 'b', url: 'https://api.example.com/v1', model: 'meta-llama/Llama-3-8B#q4' }],
    ['c=http://h/v1#', { name: 'c', url: 'http://h/v1', model: null }],
  ])('%s', (text, want) => {
    expect(parseModelSpec(text)).toEqual(want);
  });

  it.each([
    ['http://h/v1', /expected name=URL#model/],
    ['a b=http://h/v1', /a name is 1-64 letters/],
    ['../x=http://h/v1', /a name is 1-64 letters/],
    ['Judge=http://h/v1', /"judge" is the judge's name/],
    ['a=#m', /give the API base/],
  ])('%s is refused', (text, message) => {
    expect(() => parseModelSpec(text)).toThrow(message);
  });

  it('the judge is URL#model', () => {
    expect(parseJudgeSpec('http://h3:8000/v1#judge')).toEqual({ name: 'judge', url: 'http://h3:8000/v1', model: 'judge' });
  });

  it('names must be unique and must not share a key variable', () => {
    const spec = (name: string) => ({ name, url: 'http://h/v1', model: null });
    expect(() => checkNames([spec('a'), spec('a')])).toThrow(/--model a is given twice/);
    expect(() => checkNames([spec('a-b'), spec('A_B')])).toThrow(/share the key variable EVALPERF_KEY_A_B/);
    expect(() => checkNames([spec('a'), spec('b')])).not.toThrow();
  });

  it('a key comes from the model\'s own variable, then --api-key, then OPENAI_API_KEY', () => {
    expect(keyVariable('gpt-4o.mini')).toBe('EVALPERF_KEY_GPT_4O_MINI');
    const env = { EVALPERF_KEY_A: 'own', OPENAI_API_KEY: 'openai', EVALPERF_KEY_C: '' };
    expect(resolveKey('a', 'shared', env)).toEqual({ key: 'own', source: 'EVALPERF_KEY_*' });
    expect(resolveKey('b', 'shared', env)).toEqual({ key: 'shared', source: '--api-key' });
    expect(resolveKey('c', undefined, env)).toEqual({ key: 'openai', source: 'OPENAI_API_KEY' });
    expect(resolveKey('judge', undefined, {})).toEqual({ key: null, source: 'none' });
  });
});
