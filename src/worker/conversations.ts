import { fillBody, messagesTemplate, type BodyTemplate } from '../client/body-template.js';
import { applyRunFields, sentMaxTokens, type RequestShape } from '../client/request-body.js';
import type { ConversationData, ConversationSource } from '../datasets/conversation.js';
import type { Message } from '../datasets/dataset-files.js';
import { sampleLength } from '../datasets/lengths.js';
import { randomPrompt, requestMaxTokens, seedOf } from '../datasets/random.js';
import { createRng } from '../load/rng.js';
import type { SendOutcome } from './sender.js';

/** One request of a conversation, ready to send. */
export interface TurnRequest {
  body: string;
  inputTokens: number;
  conversation: number;
  /** From 1. */
  turn: number;
  /** max_tokens asked, NaN if none. */
  maxTokens: number;
}

interface Playing {
  id: number;
  turn: number;
  total: number;
  data: ConversationData | null;
  /** The messages so far as JSON, comma-joined without the brackets, grown one message at a time. */
  messagesJson: string;
  /** This conversation's body template (null: none stands in for applyRunFields), and for which max_tokens presence. */
  template: BodyTemplate | null | undefined;
  templateHasMax: boolean;
  /** Tokens of the history so far (user messages counted, replies as the server counted them). */
  historyTokens: number;
}

/** Keeps the draw of a conversation's turn count apart from the prompt draws (datasets/random.ts). */
const TURNS_SALT = 5;

/**
 * Plays conversations for the closed-loop users of one step in one worker. A user plays one
 * conversation turn by turn and then starts the next; a failed turn ends its conversation (there
 * is no reply to carry on from). Conversation numbers come from a counter shared by all workers,
 * so a dataset's conversations are played in order, each once per pass.
 */
export class ConversationPlayer {
  /** By user (0..slots-1): an array, not a Map, whose churn would keep ended conversations alive (see Sender.flights). */
  private readonly playing: (Playing | undefined)[] = [];

  constructor(
    private readonly src: ConversationSource,
    private readonly shape: RequestShape,
    /** The step's prompt stream (its ticket slot), as for single-turn prompts. */
    private readonly stream: number,
    private readonly measured: boolean,
    private readonly nextConversation: () => number,
  ) {}

  request(user: number, index: number): TurnRequest {
    let p = this.playing[user];
    if (p === undefined || p.turn >= p.total) {
      p = this.start(this.nextConversation());
      this.playing[user] = p;
    }
    p.turn++;
    const { content, tokens, max, ignoreEos, base } = this.userMessage(p, index);
    push(p, { role: 'user', content });
    p.historyTokens += tokens;
    // A template per conversation: the body is its own message plus the kept JSON of the rest,
    // not the whole history serialised again (93 us at the 10th turn of 512-token turns).
    if (p.template === undefined || p.templateHasMax !== (max !== null)) {
      p.template = messagesTemplate(this.shape, base, max !== null, ignoreEos);
      p.templateHasMax = max !== null;
    }
    const messages = `[${p.messagesJson}]`;
    // No template (--extra-body text that looks like a hole): the body builder, from the same JSON.
    const body = p.template !== null ? fillBody(p.template, messages, max ?? 0) : applyRunFields({ ...base, messages: JSON.parse(messages) as Message[] }, this.shape, max, ignoreEos);
    return { body, inputTokens: p.historyTokens, conversation: p.id, turn: p.turn, maxTokens: sentMaxTokens(max, this.shape.extraBody) };
  }

  /** The user's request ended: ms to wait (think time) before the next turn, 0 to go on now. */
  reply(user: number, out: SendOutcome): number {
    const p = this.playing[user];
    if (p === undefined) return 0;
    if (!out.ok || out.text === null || p.turn >= p.total) {
      this.playing[user] = undefined;
      return 0;
    }
    push(p, { role: 'assistant', content: out.text });
    p.historyTokens += out.outputTokens;
    return this.src.thinkMs;
  }

  private start(id: number): Playing {
    const { src } = this;
    if (src.kind === 'random-conversations') {
      const total = sampleLength(src.turns, createRng(seedOf(src.random.prompts.seed, TURNS_SALT, this.stream, id)));
      return { id, turn: 0, total, data: null, messagesJson: '', template: undefined, templateHasMax: false, historyTokens: 0 };
    }
    const n = src.conversations.length;
    // The warmup plays the list from its end, so a measured step does not open on cached prefixes.
    const data = src.conversations[this.measured ? id % n : n - 1 - (id % n)]!;
    return { id, turn: 0, total: data.turns.length, data, messagesJson: data.context.map((m) => JSON.stringify(m)).join(','), template: undefined, templateHasMax: false, historyTokens: 0 };
  }

  private userMessage(p: Playing, index: number): { content: unknown; tokens: number; max: number | null; ignoreEos: boolean; base: Record<string, unknown> } {
    const { src } = this;
    if (src.kind === 'random-conversations') {
      // Every user message is a distinct random prompt (keyed by the request index).
      const prompt = randomPrompt(src.random.prompts, this.stream, index);
      const max = src.random.maxTokens === null ? this.shape.maxTokens : requestMaxTokens(src.random.maxTokens, src.random.prompts.seed, this.stream, index);
      return { content: prompt.text, tokens: prompt.tokens, max, ignoreEos: src.random.ignoreEos, base: {} };
    }
    const t = p.data!.turns[p.turn - 1]!;
    return { content: t.content, tokens: t.inputTokens, max: t.maxTokens, ignoreEos: src.ignoreEos, base: p.data!.base };
  }
}

function push(p: Playing, m: Message): void {
  p.messagesJson += (p.messagesJson === '' ? '' : ',') + JSON.stringify(m);
}
