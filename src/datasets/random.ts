import { bodyTemplate, fillBody } from '../client/body-template.js';
import { buildRequestBody, buildRerankBody, sentMaxTokens, type RequestShape } from '../client/request-body.js';
import { createRng } from '../load/rng.js';
import { requestImages, type ImageSpec } from './images.js';
import { sampleLength, type LengthSpec } from './lengths.js';
import { POOL_WORDS, poolSlice, promptPool, type PromptPool } from './prompt-pool.js';

/**
 * Random prompts of an exact token length, built in the load worker from the request's index
 * (no list to hold, no cycling, every request distinct however long the run). A prompt is
 * `prefix words` then `body words`, each word one token: the main thread picks words that are one
 * token alone and after a space in the run's tokenizer, checks that they stay one token each in
 * any order (exact-prompts.ts), and re-encodes sample prompts. Without a tokenizer the words are
 * counted as words: exact for the built-in simulator, which counts whitespace-separated words.
 */
export interface RandomPromptSpec {
  /** One token each, alone or after a space, in any order. */
  words: readonly string[];
  /** Shared by every prompt (prefix-cache tests): exactly `prefixTokens` tokens, '' for none. */
  prefix: string;
  prefixTokens: number;
  /** Whole prompt, prefix included. */
  inputTokens: LengthSpec;
  seed: number;
  /**
   * Start the body with the word `r<index>` (counted as words only: under a tokenizer it is
   * several tokens). The simulator's request log keys requests by a prompt's first word.
   */
  marker: boolean;
}

/** What a worker needs to build random requests: prompts plus per-request output lengths. */
export interface RandomSource {
  prompts: RandomPromptSpec;
  /** max_tokens per request; null = the request shape's own. */
  maxTokens: LengthSpec | null;
  /** ignore_eos and min_tokens = max_tokens, so every reply is as long as asked. */
  ignoreEos: boolean;
  /** --api rerank: documents per request, each a prompt of --input-tokens (0 otherwise). */
  documents: number;
  /** --images: generated PNGs sent with each prompt (chat), distinct for every request; null for none. */
  images: ImageSpec | null;
}

/** Rerank queries are short, like a search: a fixed number of tokens. */
export const RERANK_QUERY_TOKENS = 16;

/** Salts keep the length, word and output-length draws of one request independent. */
const SALT = { length: 1, words: 2, maxTokens: 3, prefix: 4, pool: 6 } as const;
/** The index digits leave room for this many streams (a stream = a step or the warmup). */
const STREAMS = 256;

/** A 32-bit seed from several numbers (murmur3's finalizer over a running hash). */
export function seedOf(...parts: number[]): number {
  let h = 0x9747b28c;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0) ^ Math.floor(p / 2 ** 32), 0x5bd1e995);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function promptLength(spec: RandomPromptSpec, stream: number, index: number): number {
  return sampleLength(spec.inputTokens, createRng(seedOf(spec.seed, SALT.length, stream, index)));
}

export function requestMaxTokens(maxTokens: LengthSpec, seed: number, stream: number, index: number): number {
  return sampleLength(maxTokens, createRng(seedOf(seed, SALT.maxTokens, stream, index)));
}

/** Enough index digits (in base `words.length`) to tell a billion requests of 256 streams apart. */
function uniqueDigits(base: number): number {
  return Math.ceil(Math.log(1e9 * STREAMS) / Math.log(base));
}

/**
 * The prompt of request `index` of `stream`. Its first body words spell the (stream, index)
 * pair, least significant digit first, so two prompts part right after the shared prefix and no
 * prefix-cache block is shared by accident; the rest is a run of the seeded word pool from a
 * seeded offset (prompt-pool.ts).
 */
export function randomPrompt(spec: RandomPromptSpec, stream: number, index: number): { text: string; tokens: number } {
  return composePrompt(spec, poolOf(spec).plain, spec.prefix, stream, index);
}

/** randomPrompt's text escaped for a JSON string (without the quotes), for a spliced body. */
export function randomPromptJson(spec: RandomPromptSpec, stream: number, index: number): { json: string; tokens: number } {
  const p = composePrompt(spec, poolOf(spec).json, escapedPrefix(spec), stream, index);
  return { json: p.text, tokens: p.tokens };
}

/** Builds the word pool now (a few ms), so that the first measured request does not. */
export function preparePrompts(spec: RandomPromptSpec): void {
  poolOf(spec);
  escapedPrefix(spec);
}

function poolOf(spec: RandomPromptSpec): PromptPool {
  return promptPool(spec.words, seedOf(spec.seed, SALT.pool));
}

const escapedPrefixes = new WeakMap<RandomPromptSpec, string>();
function escapedPrefix(spec: RandomPromptSpec): string {
  let e = escapedPrefixes.get(spec);
  if (e === undefined) escapedPrefixes.set(spec, (e = JSON.stringify(spec.prefix).slice(1, -1)));
  return e;
}

function composePrompt(spec: RandomPromptSpec, w: PromptPool['plain'], prefix: string, stream: number, index: number): { text: string; tokens: number } {
  const total = promptLength(spec, stream, index);
  const n = total - spec.prefixTokens;
  const vocabulary = w.vocabulary;
  const head: string[] = [];
  if (spec.marker && n > 0) head.push(`r${index}`);
  let key = index * STREAMS + (stream % STREAMS);
  for (let digits = Math.min(n - head.length, uniqueDigits(vocabulary.length)); digits > 0; digits--) {
    head.push(vocabulary[key % vocabulary.length]!);
    key = Math.floor(key / vocabulary.length);
  }
  const rng = createRng(seedOf(spec.seed, SALT.words, stream, index));
  const tail = poolSlice(w, Math.floor(rng() * POOL_WORDS), n - head.length);
  const body = tail === '' ? head.join(' ') : head.length === 0 ? tail : `${head.join(' ')} ${tail}`;
  return { text: prefix === '' ? body : body === '' ? prefix : `${prefix} ${body}`, tokens: total };
}

/** The shared prefix: `tokens` seeded words (the same for every request of the run). */
export function prefixText(words: readonly string[], tokens: number, seed: number): string {
  const rng = createRng(seedOf(seed, SALT.prefix));
  return Array.from({ length: tokens }, () => words[Math.floor(rng() * words.length)]!).join(' ');
}

/**
 * A rerank request's query and documents. Each takes its own index in the stream (query, then
 * documents), so no two texts of the run are alike and nothing is cached by accident.
 */
function rerankTexts(spec: RandomPromptSpec, documents: number, stream: number, index: number): { query: string; documents: string[]; tokens: number } {
  const base = index * (documents + 1);
  const query = randomPrompt({ ...spec, prefix: '', prefixTokens: 0, inputTokens: { kind: 'fixed', value: RERANK_QUERY_TOKENS } }, stream, base);
  const docs = Array.from({ length: documents }, (_, k) => randomPrompt(spec, stream, base + 1 + k));
  return { query: query.text, documents: docs.map((d) => d.text), tokens: docs.reduce((a, d) => a + d.tokens, query.tokens) };
}

/** Prompt tokens of a rerank request, without building its texts. */
export function rerankLength(spec: RandomPromptSpec, documents: number, stream: number, index: number): number {
  let n = RERANK_QUERY_TOKENS;
  for (let k = 0; k < documents; k++) n += promptLength(spec, stream, index * (documents + 1) + 1 + k);
  return n;
}

/** Body and prompt tokens of request `index` of `stream` (a step, or the warmup). */
export function randomRequest(src: RandomSource, shape: RequestShape, stream: number, index: number): { body: string; inputTokens: number; maxTokens: number } {
  if (shape.api === 'rerank') {
    const r = rerankTexts(src.prompts, src.documents, stream, index);
    return { body: buildRerankBody(shape, r.query, r.documents), inputTokens: r.tokens, maxTokens: NaN };
  }
  const max = src.maxTokens === null ? shape.maxTokens : requestMaxTokens(src.maxTokens, src.prompts.seed, stream, index);
  const maxTokens = sentMaxTokens(max, shape.extraBody);
  // Text prompts (nearly every run): the body is spliced from a template, no object per request.
  const template = src.images === null ? bodyTemplate(shape, max !== null, src.ignoreEos) : null;
  if (template !== null) {
    const p = randomPromptJson(src.prompts, stream, index);
    return { body: fillBody(template, p.json, max ?? 0), inputTokens: p.tokens, maxTokens };
  }
  const p = randomPrompt(src.prompts, stream, index);
  const images = src.images === null ? undefined : requestImages(src.images, src.prompts.seed, stream, index);
  return { body: buildRequestBody(shape, p.text, images, max, src.ignoreEos), inputTokens: p.tokens, maxTokens };
}
