import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hubEnv } from './hub.js';

describe('hubEnv', () => {
  it.each([
    [{}, { baseUrl: 'https://huggingface.co', cacheRoot: join(homedir(), '.cache', 'evalperf'), token: null }],
    // Empty variables count as unset (an `export EVALPERF_HUB_URL=` must not break downloads).
    [{ EVALPERF_HUB_URL: '', EVALPERF_CACHE: '', HF_TOKEN: '' }, { baseUrl: 'https://huggingface.co', cacheRoot: join(homedir(), '.cache', 'evalperf'), token: null }],
    [{ EVALPERF_HUB_URL: 'http://mirror:8080//', EVALPERF_CACHE: '/c', HF_TOKEN: 'hf_x' }, { baseUrl: 'http://mirror:8080', cacheRoot: '/c', token: 'hf_x' }],
  ])('%j', (env, expected) => expect(hubEnv(env)).toEqual(expected));
});
