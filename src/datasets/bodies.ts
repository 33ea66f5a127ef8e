import { applyRunFields, type RequestShape } from '../client/request-body.js';
import type { Entry, Message } from './dataset-files.js';
import { DatasetError } from './errors.js';
import type { LengthSpec } from './lengths.js';
import { requestMaxTokens } from './random.js';

/**
 * Request bodies for dataset prompts, built once on the main thread (the engine hands them to
 * the workers as a list). The run decides the model and streaming; `--max-tokens` given on the
 * command line decides max_tokens; otherwise a line's own max_tokens stands, else the default.
 */
export type MaxTokensPlan =
  /** Not given: a body's own max_tokens, else `fallback`. */
  | { kind: 'default'; fallback: number }
  | { kind: 'spec'; spec: LengthSpec }
  /** The dataset's: a body's max_tokens, or the tokens of ShareGPT's reference reply. */
  | { kind: 'dataset' };

/** A dataset prompt ready to send: its tokens and max_tokens are settled before the target is. */
export interface Prepared {
  entry: Entry;
  inputTokens: number;
  maxTokens: number;
}

/** The text of a prompt as a tokenizer should count it: message contents and text parts. */
export function promptText(e: Entry): string {
  if (e.kind === 'text') return e.text;
  if (e.kind === 'body' && !('messages' in e.body)) return String(e.body.prompt);
  const messages = e.kind === 'messages' ? e.messages : (e.body.messages as Message[]);
  const parts: string[] = [];
  for (const m of messages) {
    if (typeof m.content === 'string') parts.push(m.content);
    else if (Array.isArray(m.content)) for (const p of m.content) if (p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string') parts.push((p as { text: string }).text);
  }
  return parts.join('\n');
}

/** The messages a chat request of this entry sends (what a chat template renders); null for a completions prompt. */
export function chatMessages(e: Entry): readonly unknown[] | null {
  if (e.kind === 'text') return [{ role: 'user', content: e.text }];
  if (e.kind === 'messages') return e.messages;
  return 'messages' in e.body ? (e.body.messages as unknown[]) : [{ role: 'user', content: e.body.prompt }];
}

/** Throws a one-line error when an entry cannot go to this endpoint kind. */
export function checkApi(e: Entry, api: RequestShape['api']): void {
  const hasMessages = e.kind === 'messages' || (e.kind === 'body' && 'messages' in e.body);
  if (api === 'completions' && hasMessages) throw new DatasetError(`${e.loc}: chat messages need the chat API; drop --api completions (or point --url at .../chat/completions)`);
}

function ownMaxTokens(e: Entry): number | null {
  if (e.kind !== 'body') return null;
  const v = e.body.max_tokens ?? e.body.max_completion_tokens;
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : null;
}

/** max_tokens of entry `index` (seeded per entry, so a range gives each prompt its own). */
export function entryMaxTokens(e: Entry, referenceTokens: number | null, index: number, m: MaxTokensPlan, seed: number): number {
  if (m.kind === 'spec') return requestMaxTokens(m.spec, seed, 0, index);
  const own = ownMaxTokens(e);
  if (own !== null) return own;
  if (m.kind === 'default') return m.fallback;
  if (referenceTokens !== null) return Math.max(1, referenceTokens);
  throw new DatasetError(`${e.loc}: no max_tokens and no reference reply for --max-tokens dataset; add "max_tokens" to the line or give --max-tokens a number`);
}

export function buildBody(p: Prepared, shape: RequestShape, ignoreEos: boolean): string {
  const { entry: e, maxTokens: max } = p;
  // Embeddings: the prompt's text (all its messages) is the input.
  if (shape.api === 'embeddings') return JSON.stringify({ model: shape.model, input: promptText(e), ...shape.extraBody });
  const body: Record<string, unknown> = e.kind === 'body' ? { ...e.body } : {};
  if (shape.api === 'chat') {
    if (e.kind === 'text') body.messages = [{ role: 'user', content: e.text }];
    else if (e.kind === 'messages') body.messages = e.messages;
    else if (!('messages' in body)) body.messages = [{ role: 'user', content: body.prompt }];
    delete body.prompt;
  } else if (e.kind === 'text') body.prompt = e.text;
  return applyRunFields(body, shape, max, ignoreEos);
}
