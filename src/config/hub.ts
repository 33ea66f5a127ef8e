import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_HUB_URL = 'https://huggingface.co';

/**
 * Where Hugging Face hub files come from and are kept, for tokenizers and benchmark data alike:
 * EVALPERF_HUB_URL (a mirror), EVALPERF_CACHE (the cache root), HF_TOKEN (gated models). An
 * empty variable counts as unset.
 */
export function hubEnv(env: NodeJS.ProcessEnv): { baseUrl: string; cacheRoot: string; token: string | null } {
  return {
    baseUrl: (env.EVALPERF_HUB_URL || DEFAULT_HUB_URL).replace(/\/+$/, ''),
    cacheRoot: env.EVALPERF_CACHE || join(homedir(), '.cache', 'evalperf'),
    token: env.HF_TOKEN || null,
  };
}
