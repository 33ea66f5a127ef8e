import { createRng } from '../load/rng.js';
import { TokenizerError, type Tokenizer } from '../tokenizer/tokenizer.js';
import { randomPrompt, seedOf, type RandomPromptSpec } from './random.js';
import { WORDS } from './synthetic.js';

/**
 * Makes random prompts exact under a real tokenizer. Peers sample token ids, decode and hope
 * the text re-encodes to the same length; it often does not (merges across the joins, a
 * different first token). Here each word is checked to be one token alone, every ordered pair of
 * words two tokens, and random texts of them one token per word; then sample prompts of the run
 * are re-encoded and counted, and a mismatch stops the run before any load.
 */
const MIN_WORDS = 16;
/** Enough for variety and for 5 words to spell a billion request indexes; every pair is checked. */
const MAX_WORDS = 128;
const TRIAL_TEXTS = 8;
const TRIAL_WORDS = 256;

export function singleTokenWords(tok: Tokenizer, candidates: readonly string[] = WORDS): string[] {
  const ones = [...new Set(candidates)].filter((w) => tok.count(w) === 1).slice(0, MAX_WORDS);
  // Byte-level and tiktoken tokenizers split at spaces before merging, so no pair merges there;
  // SentencePiece-style ones merge over the whole text and a vocabulary may hold "▁of▁the".
  const dropped = new Set<string>();
  for (const a of ones) {
    if (dropped.has(a)) continue;
    for (const b of ones) if (!dropped.has(b) && tok.count(`${a} ${b}`) !== 2) dropped.add(b);
  }
  const words = ones.filter((w) => !dropped.has(w));
  return countsEveryWord(tok, words) ? words : [];
}

/** Longer texts of random words count one token per word (nothing spans three words). */
function countsEveryWord(tok: Tokenizer, words: readonly string[]): boolean {
  if (words.length === 0) return false;
  const rng = createRng(seedOf(words.length, TRIAL_WORDS));
  for (let t = 0; t < TRIAL_TEXTS; t++) {
    const text = Array.from({ length: TRIAL_WORDS }, () => words[Math.floor(rng() * words.length)]!).join(' ');
    if (tok.count(text) !== TRIAL_WORDS) return false;
  }
  return true;
}

/** The word list for exact prompts under `tok`, or a one-line error saying what to do instead. */
export function exactWords(tok: Tokenizer): string[] {
  const words = singleTokenWords(tok);
  if (words.length < MIN_WORDS) {
    throw new TokenizerError(`--tokenizer ${tok.name}: only ${words.length} common English words are one token each, too few to build exact-length prompts; use --dataset with your own prompts`);
  }
  return words;
}

/**
 * Re-encodes the first `samples` prompts of stream 0 (the first step) and counts them. Throws
 * on the first prompt whose count differs: it would be a bug, and a run with wrong lengths is
 * worse than no run.
 */
export function verifyPrompts(spec: RandomPromptSpec, tok: Tokenizer, samples: number): void {
  for (let i = 0; i < samples; i++) {
    const p = randomPrompt(spec, 0, i);
    const got = tok.count(p.text);
    if (got !== p.tokens) throw new TokenizerError(`--tokenizer ${tok.name}: prompt ${i} came out ${got} tokens, not ${p.tokens}; use --dataset with your own prompts and report this`);
  }
}
