import { describe, expect, it } from 'vitest';
import { applyRunFields, type RequestShape } from '../client/request-body.js';
import type { ConversationSource } from '../datasets/conversation.js';
import { parseLength } from '../datasets/lengths.js';
import { WORDS } from '../datasets/synthetic.js';
import { ConversationPlayer } from './conversations.js';

const shape: RequestShape = { api: 'chat', model: 'm', maxTokens: 8, temperature: null, stream: true, extraBody: null };
const random = (turns: string, thinkMs = 0): ConversationSource => ({
  kind: 'random-conversations',
  random: { prompts: { words: WORDS, prefix: '', prefixTokens: 0, inputTokens: parseLength('5', 'x'), seed: 1, marker: true }, maxTokens: null, ignoreEos: false, documents: 0, images: null },
  turns: parseLength(turns, 'x'),
  thinkMs,
});
const counter = () => {
  let n = 0;
  return () => n++;
};
const ok = (text: string, outputTokens = 2) => ({ ok: true, text, outputTokens });
const messages = (body: string) => (JSON.parse(body) as { messages: { role: string; content: unknown }[] }).messages;

describe('ConversationPlayer', () => {
  it('plays a conversation turn by turn with the real replies as history, then starts the next', () => {
    const p = new ConversationPlayer(random('3', 250), shape, 0, true, counter());
    const t1 = p.request(0, 0);
    expect([t1.conversation, t1.turn, t1.inputTokens]).toEqual([0, 1, 5]);
    expect(messages(t1.body).map((m) => m.role)).toEqual(['user']);
    expect(p.reply(0, ok('first answer', 2))).toBe(250);
    const t2 = p.request(0, 7);
    expect([t2.conversation, t2.turn, t2.inputTokens]).toEqual([0, 2, 5 + 2 + 5]);
    const m2 = messages(t2.body);
    expect(m2.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(m2[1]!.content).toBe('first answer');
    expect(m2[0]!.content).toBe(messages(t1.body)[0]!.content);
    // Each user message is the random prompt of its own request index: distinct.
    expect(m2[2]!.content).toMatch(/^r7 /);
    expect(p.reply(0, ok('second'))).toBe(250);
    expect(p.request(0, 8).turn).toBe(3);
    // The last turn's reply ends the conversation: no think time, the next request opens conversation 1.
    expect(p.reply(0, ok('third'))).toBe(0);
    const next = p.request(0, 9);
    expect([next.conversation, next.turn]).toEqual([1, 1]);
    expect(messages(next.body)).toHaveLength(1);
  });

  it('a failed turn ends its conversation; users keep their own conversations', () => {
    const p = new ConversationPlayer(random('4'), shape, 0, true, counter());
    expect(p.request(0, 0).conversation).toBe(0);
    expect(p.request(1, 1).conversation).toBe(1);
    expect(p.reply(0, { ok: false, text: null, outputTokens: 0 })).toBe(0);
    expect(p.reply(1, ok('fine'))).toBe(0);
    expect([p.request(0, 2).conversation, p.request(1, 3).turn]).toEqual([2, 2]);
  });

  it('draws each conversation\'s turn count from a range, reproducibly', () => {
    const lengths = (seed: number) => {
      // With think time, reply() says whether the conversation goes on (> 0) or ended (0).
      const src = random('1:6', 1);
      if (src.kind === 'random-conversations') src.random.prompts.seed = seed;
      const p = new ConversationPlayer(src, shape, 0, true, counter());
      const out: number[] = [];
      for (let c = 0, i = 0; c < 40; c++) {
        let turns = 0;
        do {
          p.request(0, i++);
          turns++;
        } while (p.reply(0, ok('a')) > 0);
        out.push(turns);
      }
      return out;
    };
    const a = lengths(1);
    expect(a).toEqual(lengths(1));
    expect(Math.min(...a)).toBe(1);
    expect(Math.max(...a)).toBe(6);
    expect(new Set(a).size).toBeGreaterThan(3);
  });

  it('plays dataset conversations in order with their context and body fields, the warmup from the end', () => {
    const src: ConversationSource = {
      kind: 'conversations',
      ignoreEos: true,
      thinkMs: 0,
      conversations: [
        { loc: 'f:1', base: { top_p: 0.5 }, context: [{ role: 'system', content: 'be brief' }], turns: [{ content: 'hi', inputTokens: 1, maxTokens: 4 }, { content: 'more', inputTokens: 1, maxTokens: 9 }] },
        { loc: 'f:2', base: {}, context: [], turns: [{ content: 'solo', inputTokens: 1, maxTokens: 3 }] },
      ],
    };
    const p = new ConversationPlayer(src, shape, 0, true, counter());
    const b1 = JSON.parse(p.request(0, 0).body) as Record<string, unknown>;
    expect(b1).toMatchObject({ model: 'm', top_p: 0.5, max_tokens: 4, ignore_eos: true, min_tokens: 4, stream: true, messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }] });
    p.reply(0, ok('hello'));
    const b2 = JSON.parse(p.request(0, 1).body) as { messages: unknown[]; max_tokens: number };
    expect(b2.messages).toEqual([{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }, { role: 'user', content: 'more' }]);
    expect(b2.max_tokens).toBe(9);
    p.reply(0, ok('done'));
    expect(messages(p.request(0, 2).body)).toEqual([{ role: 'user', content: 'solo' }]);
    const warm = new ConversationPlayer(src, shape, 1, false, counter());
    expect(messages(warm.request(0, 0).body)).toEqual([{ role: 'user', content: 'solo' }]);
  });

  it.each([
    ['chat', shape],
    ['--extra-body over the run fields', { ...shape, extraBody: { max_tokens: 3, top_p: 0.9 } }],
    ['--extra-body replacing the messages', { ...shape, extraBody: { messages: [{ role: 'user', content: 'fixed' }] } }],
    ['--extra-body text that looks like a hole (no template: the body builder)', { ...shape, extraBody: { user: '\u0001\u0002evalperf-prompt\u0002\u0001' } }],
  ] as const)('every turn\'s body is exactly what the body builder makes of its history: %s', (_name, sh) => {
    const src: ConversationSource = {
      kind: 'conversations',
      ignoreEos: true,
      thinkMs: 0,
      conversations: [{ loc: 'f:1', base: { top_p: 0.5, tools: [] }, context: [{ role: 'system', content: 'be "brief"' }], turns: [1, 2, 3, 4].map((k) => ({ content: `turn ${k} \\ é`, inputTokens: 2, maxTokens: 3 * k })) }],
    };
    const p = new ConversationPlayer(src, sh, 0, true, counter());
    const history: { role: string; content: unknown }[] = [{ role: 'system', content: 'be "brief"' }];
    for (let k = 1; k <= 4; k++) {
      const t = p.request(0, k);
      history.push({ role: 'user', content: `turn ${k} \\ é` });
      expect(t.body).toBe(applyRunFields({ top_p: 0.5, tools: [], messages: history }, sh, 3 * k, true));
      const reply = `reply ${k} with "quotes"\n`;
      p.reply(0, ok(reply));
      history.push({ role: 'assistant', content: reply });
    }
  });

  it('random conversations without max_tokens: every turn\'s body is what the body builder makes of it', () => {
    const sh: RequestShape = { ...shape, maxTokens: null };
    const p = new ConversationPlayer(random('5'), sh, 0, true, counter());
    for (let k = 0; k < 5; k++) {
      const body = p.request(0, k).body;
      expect(body).toBe(applyRunFields({ messages: messages(body) }, sh, null, false));
      expect(JSON.parse(body)).not.toHaveProperty('max_tokens');
      p.reply(0, ok(`reply "${k}"`));
    }
  });
});
