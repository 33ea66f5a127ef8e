import type { Entry, Message } from './dataset-files.js';
import { DatasetError } from './errors.js';
import type { LengthSpec } from './lengths.js';
import type { RandomSource } from './random.js';

/**
 * Multi-turn conversations (`--turns`). Each closed-loop user plays a conversation turn by turn:
 * the user messages come from the dataset (or are random prompts), the assistant messages are the
 * server's real replies, sent back as history. Only the user side is prepared here.
 */
export interface ConversationTurn {
  /** The user message's content: text, or an array of content parts as the dataset has it. */
  content: unknown;
  /** Tokens of this message alone (the history before it is counted from the replies). */
  inputTokens: number;
  maxTokens: number;
}

export interface ConversationData {
  /** `file:line` of the conversation. */
  loc: string;
  /** Body fields of a whole-body line other than messages (tools, top_p, ...), sent with every turn. */
  base: Record<string, unknown>;
  /** Messages before the first user turn (a system prompt), kept at the head of every turn. */
  context: Message[];
  turns: ConversationTurn[];
}

export type ConversationSource =
  /** Random user messages (the synthetic prompts); turns per conversation drawn per conversation. */
  | { kind: 'random-conversations'; random: RandomSource; turns: LengthSpec; thinkMs: number }
  | { kind: 'conversations'; conversations: ConversationData[]; ignoreEos: boolean; thinkMs: number };

/** One user turn as a dataset gives it: the message and the reply the dataset has for it, if any. */
export interface UserTurn {
  content: unknown;
  reference: string | null;
}

/**
 * The context and user turns of a dataset entry, at most `maxTurns` of them. ShareGPT lines give
 * every human turn; `messages` arrays give their user messages, each assistant message after one
 * being its reference reply (the server's own reply replaces it when the conversation is played).
 */
export function userTurns(e: Entry, maxTurns: number | null): { base: Record<string, unknown>; context: Message[]; turns: UserTurn[] } {
  const cap = <T>(xs: T[]) => (maxTurns === null ? xs : xs.slice(0, maxTurns));
  if (e.kind === 'text') return { base: {}, context: [], turns: cap([{ content: e.text, reference: e.reference }, ...(e.later ?? [])]) };
  let base: Record<string, unknown> = {};
  let messages: Message[];
  if (e.kind === 'messages') messages = e.messages;
  else if ('messages' in e.body) {
    const { messages: m, ...rest } = e.body;
    messages = m as Message[];
    base = rest;
  } else throw new DatasetError(`${e.loc}: a "prompt" line has no turns to play; multi-turn (--turns) needs "messages", ShareGPT conversations, or --dataset random`);
  const first = messages.findIndex((m) => m.role === 'user');
  if (first < 0) throw new DatasetError(`${e.loc}: no "user" message to play; give each conversation at least one {"role": "user", ...}`);
  const turns: UserTurn[] = [];
  for (let k = first; k < messages.length; k++) {
    const m = messages[k]!;
    if (m.role === 'user') turns.push({ content: m.content, reference: null });
    else if (m.role === 'assistant' && turns.length > 0 && typeof m.content === 'string') turns.at(-1)!.reference = m.content;
  }
  return { base, context: messages.slice(0, first), turns: cap(turns) };
}

/** A conversation's turns in words for the summary: how many and the mean. */
export function turnCounts(conversations: readonly ConversationData[]): { conversations: number; turns_mean: number; turns_max: number } {
  const n = conversations.length;
  const total = conversations.reduce((a, c) => a + c.turns.length, 0);
  return { conversations: n, turns_mean: n === 0 ? 0 : Math.round((total / n) * 10) / 10, turns_max: Math.max(0, ...conversations.map((c) => c.turns.length)) };
}
