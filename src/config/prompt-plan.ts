import type { MaxTokensPlan } from '../datasets/bodies.js';
import { parseDatasetArg, type DatasetArg } from '../datasets/dataset-files.js';
import { parseImageSize, type ImageSpec } from '../datasets/images.js';
import { minLength, parseLength } from '../datasets/lengths.js';
import type { PromptPlan } from '../datasets/prompt-source.js';
import { parseDuration } from './duration.js';
import type { PlanOptions } from './run-plan.js';
import { isPooling, type ApiKind } from './target.js';

/**
 * What a run sends, from its flags: the dataset, lengths, multi-turn conversations, images, and
 * the endpoint kind's own rules (embeddings and rerank generate nothing). Throws one-line errors
 * that name the flag and the fix.
 */
const DEFAULT_MAX_TOKENS = 128;
const DEFAULT_INPUT_TOKENS = 128;

export function promptPlan(o: PlanOptions, api: ApiKind): PromptPlan {
  const dataset = parseDatasetArg(o.dataset ?? 'random');
  const random = dataset.format === 'random';
  const documents = poolingChecks(o, api, random);
  if (!random && o.inputTokens !== undefined) throw new Error(`--input-tokens is for --dataset random: the prompts of ${o.dataset} keep their own length`);
  if (!random && o.prefixTokens !== undefined) throw new Error('--prefix-tokens is for --dataset random');
  const inputTokens = parseLength(o.inputTokens ?? DEFAULT_INPUT_TOKENS, '--input-tokens');
  const prefixTokens = o.prefixTokens ?? 0;
  if (!Number.isInteger(prefixTokens) || prefixTokens < 0) throw new Error(`--prefix-tokens ${prefixTokens}: must be a whole number >= 0`);
  if (prefixTokens >= minLength(inputTokens)) throw new Error(`--prefix-tokens ${prefixTokens}: must be less than the shortest prompt (--input-tokens ${String(o.inputTokens ?? DEFAULT_INPUT_TOKENS)}), so each prompt has its own tokens after it`);
  let maxTokens: MaxTokensPlan;
  if (o.maxTokens === undefined) maxTokens = { kind: 'default', fallback: DEFAULT_MAX_TOKENS };
  else if (o.maxTokens === 'dataset') {
    if (random) throw new Error('--max-tokens dataset takes each prompt\'s own length from a dataset: add --dataset jsonl:FILE or sharegpt:FILE');
    maxTokens = { kind: 'dataset' };
  } else maxTokens = { kind: 'spec', spec: parseLength(o.maxTokens, '--max-tokens') };
  if (o.tokenizer !== undefined && o.tokenizer.trim() === '') throw new Error('--tokenizer needs a value: a tokenizer.json, a folder, a hub id or tiktoken:o200k_base');
  return { dataset, tokenizer: o.tokenizer ?? null, inputTokens, prefixTokens, maxTokens, ignoreEos: o.ignoreEos ?? false, seed: o.seed, documents, images: imagePlan(o, api, random), ...conversationPlan(o, dataset.format) };
}

/** --images and --image-size: generated PNGs with each random chat prompt. */
function imagePlan(o: PlanOptions, api: ApiKind, random: boolean): ImageSpec | null {
  if (o.images === undefined) {
    if (o.imageSize !== undefined) throw new Error('--image-size is the size of the generated images: add --images N');
    return null;
  }
  if (!Number.isInteger(o.images) || o.images < 1 || o.images > 64) throw new Error(`--images ${o.images}: must be a whole number from 1 to 64`);
  if (api !== 'chat') throw new Error(`--images: images go in chat messages; drop --api ${api}`);
  if (!random) throw new Error('--images adds generated images to random prompts: drop --dataset (a dataset\'s own image parts are sent as they are)');
  if (o.turns !== undefined) throw new Error('--images with --turns is not supported: drop one of them');
  return { count: o.images, ...parseImageSize(o.imageSize ?? DEFAULT_IMAGE_SIZE) };
}

const DEFAULT_IMAGE_SIZE = '512x512';
const DEFAULT_DOCUMENTS = 4;

/** Embeddings and rerank generate nothing: refuse the generation flags; returns documents per rerank request. */
function poolingChecks(o: PlanOptions, api: ApiKind, random: boolean): number {
  if (!isPooling(api)) {
    if (o.documents !== undefined) throw new Error('--documents is the number of documents per rerank request: add --api rerank');
    return 0;
  }
  for (const [given, flag] of [[o.maxTokens, '--max-tokens'], [o.ignoreEos, '--ignore-eos'], [o.turns, '--turns'], [o.temperature, '--temperature']] as const) {
    if (given !== undefined) throw new Error(`${flag}: --api ${api} generates no tokens; drop ${flag}`);
  }
  if (api === 'embeddings') {
    if (o.documents !== undefined) throw new Error('--documents is for --api rerank');
    return 0;
  }
  if (!random) throw new Error('--api rerank builds its queries and documents from random prompts: drop --dataset (use --input-tokens for the document length and --documents for their number)');
  const documents = o.documents ?? DEFAULT_DOCUMENTS;
  if (!Number.isInteger(documents) || documents < 1 || documents > 1000) throw new Error(`--documents ${documents}: must be a whole number from 1 to 1000`);
  return documents;
}

/** --turns and --think-time: multi-turn conversations, or none. */
function conversationPlan(o: PlanOptions, format: DatasetArg['format']): Pick<PromptPlan, 'turns' | 'thinkMs'> {
  const random = format === 'random';
  if (o.turns === undefined) {
    if (o.thinkTime !== undefined) throw new Error('--think-time is the pause between the turns of a conversation: add --turns');
    return { turns: null, thinkMs: 0 };
  }
  const thinkMs = o.thinkTime === undefined ? 0 : parseDuration(o.thinkTime, '--think-time', true);
  if (String(o.turns) === 'all') {
    if (random) throw new Error('--turns all plays every user turn of a dataset\'s conversations: give random prompts a count, e.g. --turns 4 or --turns 2:8');
    return { turns: 'all', thinkMs };
  }
  const turns = parseLength(o.turns, '--turns');
  if (!random && turns.kind !== 'fixed') throw new Error(`--turns ${String(o.turns)}: a dataset's conversations have their own turns; give the most to play (--turns 4) or --turns all`);
  if (format === 'lines') throw new Error('--turns: a lines: file has one prompt per line, no conversations; use jsonl:FILE with messages, sharegpt:FILE, or random');
  return { turns, thinkMs };
}

