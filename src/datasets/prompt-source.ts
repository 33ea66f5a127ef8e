import { sentMaxTokens, type RequestShape } from '../client/request-body.js';
import type { ApiKind } from '../config/target.js';
import type { RequestSource } from '../engine/protocol.js';
import { hubOptions, resolveTokenizer } from '../tokenizer/resolve.js';
import { loadTokenizer, type Tokenizer, type TokenizerSpec } from '../tokenizer/tokenizer.js';
import { buildBody, chatMessages, checkApi, entryMaxTokens, promptText, type MaxTokensPlan, type Prepared } from './bodies.js';
import { readDataset, type DatasetArg, type DatasetFormat, type Entry } from './dataset-files.js';
import { exactWords, verifyPrompts } from './exact-prompts.js';
import type { ImageSpec } from './images.js';
import { formatLength, meanLength, type LengthSpec } from './lengths.js';
import { prefixText, promptLength, randomPrompt, rerankLength, RERANK_QUERY_TOKENS, type RandomPromptSpec } from './random.js';
import { estimateTokens, WORDS } from './synthetic.js';
import { asConversations, datasetConversations } from './conversation-source.js';

/**
 * The prompts of a run, settled before any load: the tokenizer loaded (downloaded once if it
 * is a hub id), a dataset read and counted, or random prompts made exact and checked. Bad input
 * throws a one-line error before the target is touched; the request source itself is built once
 * the model is known.
 */
export interface PromptPlan {
  dataset: DatasetArg;
  /** --tokenizer as typed, or null. */
  tokenizer: string | null;
  /** Random prompts: whole length, prefix included. */
  inputTokens: LengthSpec;
  prefixTokens: number;
  maxTokens: MaxTokensPlan;
  ignoreEos: boolean;
  seed: number;
  /** Multi-turn (--turns): turns per conversation (random), at most this many (dataset), or all; null = single requests. */
  turns: LengthSpec | 'all' | null;
  /** Pause between a reply and the next turn of its conversation. */
  thinkMs: number;
  /** --api rerank: documents per request (0 otherwise). */
  documents: number;
  /** --images: generated PNGs per request (random prompts, chat); null for none. */
  images: ImageSpec | null;
}

/** How prompt lengths were counted: a real tokenizer, words (the simulator's rule), ~4 chars a token. */
export type CountedBy = 'tokenizer' | 'words' | 'estimate';

export interface PreparedPrompts {
  /** One line for run.json's `dataset` (the report shows it). */
  description: string;
  /** run.json's `prompts`: what was asked and how it was counted. */
  info: Record<string, unknown>;
  /** The resolved --tokenizer (plain data: a worker can load it with loadTokenizer), or null. */
  tokenizer: TokenizerSpec | null;
  source(shape: RequestShape): RequestSource;
  /** Prompt tokens of the requests a step sent (indexes 0..requests-1 of that step's stream). */
  lengths(stream: number, requests: number): number[];
  /** A step's prompt lengths for summary.json (`steps[].prompt_tokens`). */
  summary(stream: number, requests: number): PromptTokensSummary;
}

export interface PromptTokensSummary extends LengthStats {
  /** What was measured: whole prompts, or (multi-turn) each turn's new user message. */
  of: 'prompt' | 'user message';
  counted_by: CountedBy;
  tokenizer: string | null;
  /** --input-tokens for random prompts; null for a dataset. */
  requested: string | null;
}

export interface PrepareOptions {
  api: ApiKind;
  /** Distinct prompts a run can use (largest step + warmup); null when a step runs for a duration. */
  needed: number | null;
  env: NodeJS.ProcessEnv;
  say: (line: string) => void;
}

/** Prompts re-encoded before a random run, fewer when they are long (~1 s of tokenizer time). */
const VERIFY_TOKENS = 200_000;
const VERIFY_MAX = 64;

export type Built = Omit<PreparedPrompts, 'tokenizer' | 'summary'> & { countedBy: CountedBy };

export async function preparePrompts(p: PromptPlan, o: PrepareOptions): Promise<PreparedPrompts> {
  const hub = { ...hubOptions(o.env), onDownload: (url: string) => o.say(`downloading ${url}`) };
  const spec = p.tokenizer === null ? null : await resolveTokenizer(p.tokenizer, hub);
  const tok = spec === null ? null : await loadTokenizer(spec);
  const { countedBy, ...built } = p.dataset.format === 'random' ? asConversations(p, randomPrompts(p, tok, o)) : p.turns !== null ? datasetConversations(p, p.dataset, tok, o) : datasetPrompts(p, p.dataset, tok, o);
  const requested = p.dataset.format === 'random' ? formatLength(p.inputTokens) : null;
  const m = p.maxTokens;
  const info = {
    dataset: p.dataset.format,
    tokenizer: tok?.name ?? null,
    counted_by: countedBy,
    max_tokens: m.kind === 'spec' ? formatLength(m.spec) : m.kind === 'dataset' ? 'dataset' : `${m.fallback} (or a line's own)`,
    ignore_eos: p.ignoreEos,
    ...(p.turns !== null && { turns: p.turns === 'all' ? 'all' : formatLength(p.turns), think_time_ms: p.thinkMs }),
    ...built.info,
  };
  return {
    ...built,
    info,
    tokenizer: spec,
    // Multi-turn: the lengths are of each turn's new user message; the history comes on top.
    summary: (stream, requests) => ({ of: p.turns === null ? 'prompt' : 'user message', counted_by: countedBy, tokenizer: tok?.name ?? null, requested, ...lengthStats(built.lengths(stream, requests)) }),
  };
}

function randomPrompts(p: PromptPlan, tok: Tokenizer | null, o: PrepareOptions): Built {
  const words = tok ? exactWords(tok) : WORDS;
  const spec: RandomPromptSpec = { words, prefix: prefixText(words, p.prefixTokens, p.seed), prefixTokens: p.prefixTokens, inputTokens: p.inputTokens, seed: p.seed, marker: tok === null };
  const verified = tok ? Math.max(1, Math.min(VERIFY_MAX, o.needed ?? VERIFY_MAX, Math.floor(VERIFY_TOKENS / meanLength(p.inputTokens)))) : 0;
  if (tok) verifyPrompts(spec, tok, verified);
  // The prompt is exact; a chat server also counts its chat template's tokens around it.
  const sample = tok && o.api === 'chat' && p.documents === 0 ? randomPrompt(spec, 0, 0) : null;
  const chatCount = sample ? tok!.countChat([{ role: 'user', content: sample.text }]) : null;
  const templateTokens = chatCount === null ? null : chatCount - sample!.tokens;
  const unit = tok ? `tokens of ${tok.name} (exact: every word one token; ${verified} prompts re-encoded and counted)` : 'words (exact for the built-in simulator, which counts words; pass --tokenizer for a real model)';
  const prefix = (p.prefixTokens > 0 ? `, the first ${p.prefixTokens} shared by all` : '') + (p.images ? `, with ${p.images.count} generated ${p.images.width}x${p.images.height} PNG image${p.images.count === 1 ? '' : 's'} each (not counted: the server counts image tokens)` : '');
  return {
    description: `${p.documents > 0 ? `rerank: a ${RERANK_QUERY_TOKENS}-token query and ${p.documents} documents, each ` : ''}random prompts of ${formatLength(p.inputTokens)} ${unit}${prefix}${templateTokens !== null ? `; the model's chat template adds ${templateTokens} tokens a request, which the server counts too` : ''}`,
    countedBy: tok ? 'tokenizer' : 'words',
    info: { input_tokens: formatLength(p.inputTokens), prefix_tokens: p.prefixTokens, verified, chat_template_tokens: templateTokens, ...(p.images && { images: p.images }) },
    source: () => ({ kind: 'synthetic', prompts: spec, maxTokens: p.maxTokens.kind === 'spec' ? p.maxTokens.spec : null, ignoreEos: p.ignoreEos, documents: p.documents, images: p.images }),
    // Rerank: a request's tokens are its query and all its documents.
    lengths: (stream, n) => Array.from({ length: n }, (_, i) => (p.documents > 0 ? rerankLength(spec, p.documents, stream, i) : promptLength(spec, stream, i))),
  };
}

function datasetPrompts(p: PromptPlan, { format, path }: { format: DatasetFormat; path: string }, tok: Tokenizer | null, o: PrepareOptions): Built {
  const { entries, skipped } = readDataset(format, path, o.needed);
  const count = tok ? (t: string) => tok.count(t) : estimateTokens;
  // Chat prompts are counted as the server counts them: through the model's chat template, when it has one.
  const templated = (e: Entry) => (tok !== null && o.api === 'chat' ? tok.countChat(chatMessages(e)!) : null);
  let viaTemplate = 0;
  const started = performance.now();
  const prepared: Prepared[] = entries.map((entry, i) => {
    checkApi(entry, o.api);
    const reference = entry.kind === 'text' && entry.reference !== null && p.maxTokens.kind === 'dataset' ? count(entry.reference) : null;
    const chat = templated(entry);
    if (chat !== null) viaTemplate++;
    return { entry, inputTokens: chat ?? count(promptText(entry)), maxTokens: entryMaxTokens(entry, reference, i, p.maxTokens, p.seed) };
  });
  const ms = performance.now() - started;
  if (tok && ms > 2000) o.say(`counted ${prepared.length} prompts with ${tok.name} in ${(ms / 1000).toFixed(1)} s`);
  const all = prepared.map((q) => q.inputTokens);
  const stats = lengthStats(all);
  const by = tok ? `${tok.name}${viaTemplate > 0 ? ' through its chat template' : ''}` : 'an estimate of ~4 characters a token';
  return {
    description: `${format}:${path} (${entries.length} prompts${skipped ? `, ${skipped} conversation${skipped === 1 ? '' : 's'} without a user turn skipped` : ''}; ${stats.mean} tokens on average by ${by})`,
    countedBy: tok ? 'tokenizer' : 'estimate',
    info: { path, prompts: entries.length, skipped, lengths: stats, chat_template: viaTemplate > 0 },
    source: (shape) => ({ kind: 'list', bodies: prepared.map((q) => buildBody(q, shape, p.ignoreEos)), inputTokens: all, maxTokens: prepared.map((q) => sentMaxTokens(q.maxTokens, shape.extraBody)) }),
    lengths: (_stream, n) => Array.from({ length: n }, (_, i) => all[i % all.length]!),
  };
}

export interface LengthStats {
  count: number;
  mean: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Distribution of prompt lengths (nearest-rank percentiles; mean to one decimal). */
export function lengthStats(values: readonly number[]): LengthStats {
  const s = Float64Array.from(values).sort();
  const at = (q: number) => (s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!);
  const mean = s.length === 0 ? 0 : Math.round((s.reduce((a, b) => a + b, 0) / s.length) * 10) / 10;
  return { count: s.length, mean, min: at(0), p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s.length === 0 ? 0 : s[s.length - 1]! };
}
