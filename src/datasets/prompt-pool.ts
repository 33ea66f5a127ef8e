import { createRng } from '../load/rng.js';

/**
 * A long seeded run of vocabulary words that random prompts take their bodies from, as a slice
 * at a seeded offset, instead of drawing and joining every word per request: a prompt costs a
 * few string slices whatever its length. Measured in the worker, where it runs between sends:
 * 8,192-token prompts cost 419 us a request drawn word by word (70 us at 1,024 tokens), time in
 * which no other stream's tokens are read.
 *
 * The words are kept twice where they need it: as text, and escaped for a JSON string (request
 * bodies are spliced together from pieces, see client/body-template.ts). Vocabulary words rarely
 * need escaping, and then the two are one string.
 */
export interface PromptPool {
  /** The words, escaped for JSON or not. */
  readonly plain: Words;
  readonly json: Words;
}

interface Words {
  /** The vocabulary, in this form. */
  readonly vocabulary: readonly string[];
  /** POOL_WORDS words joined by single spaces. */
  readonly text: string;
  /** Where word k starts in text; entry POOL_WORDS is text.length + 1 (past a virtual space). */
  readonly starts: Int32Array;
}

/** Long enough that a prompt rarely wraps around it (~400 KB of text for short words). */
export const POOL_WORDS = 65_536;

const pools = new WeakMap<readonly string[], Map<number, PromptPool>>();

/** The pool of `words` for `seed`, built once per vocabulary and seed. */
export function promptPool(words: readonly string[], seed: number): PromptPool {
  let bySeed = pools.get(words);
  if (bySeed === undefined) pools.set(words, (bySeed = new Map()));
  let pool = bySeed.get(seed);
  if (pool === undefined) bySeed.set(seed, (pool = buildPool(words, seed)));
  return pool;
}

function buildPool(words: readonly string[], seed: number): PromptPool {
  const rng = createRng(seed);
  const picks = new Int32Array(POOL_WORDS);
  for (let k = 0; k < POOL_WORDS; k++) picks[k] = Math.floor(rng() * words.length);
  const plain = joined(words, picks);
  const escaped = words.map((w) => JSON.stringify(w).slice(1, -1));
  const json = escaped.every((w, i) => w === words[i]) ? plain : joined(escaped, picks);
  return { plain, json };
}

function joined(vocabulary: readonly string[], picks: Int32Array): Words {
  const starts = new Int32Array(POOL_WORDS + 1);
  let at = 0;
  for (let k = 0; k < POOL_WORDS; k++) {
    starts[k] = at;
    at += vocabulary[picks[k]!]!.length + 1;
  }
  starts[POOL_WORDS] = at;
  return { vocabulary, text: Array.from(picks, (i) => vocabulary[i]!).join(' '), starts };
}

/** `n` consecutive words of the pool from word `from`, wrapping around its end; '' for none. */
export function poolSlice(w: Words, from: number, n: number): string {
  let out = '';
  while (n > 0) {
    const take = Math.min(n, POOL_WORDS - from);
    const piece = w.text.slice(w.starts[from]!, w.starts[from + take]! - 1);
    out = out === '' ? piece : `${out} ${piece}`;
    n -= take;
    from = 0;
  }
  return out;
}
