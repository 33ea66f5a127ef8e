import { describe, expect, it } from 'vitest';
import { userTurns } from './conversation.js';
import type { Entry } from './dataset-files.js';

describe('userTurns', () => {
  it.each<[string, Entry, number | null, ReturnType<typeof userTurns>]>([
    [
      'a ShareGPT conversation: every human turn with its reply',
      { kind: 'text', loc: 'f:1', text: 'q1', reference: 'a1', later: [{ content: 'q2', reference: 'a2' }, { content: 'q3', reference: null }] },
      null,
      { base: {}, context: [], turns: [{ content: 'q1', reference: 'a1' }, { content: 'q2', reference: 'a2' }, { content: 'q3', reference: null }] },
    ],
    ['capped at --turns', { kind: 'text', loc: 'f:1', text: 'q1', reference: null, later: [{ content: 'q2', reference: null }] }, 1, { base: {}, context: [], turns: [{ content: 'q1', reference: null }] }],
    ['a single prompt is a one-turn conversation', { kind: 'text', loc: 'f:1', text: 'only', reference: null }, null, { base: {}, context: [], turns: [{ content: 'only', reference: null }] }],
    [
      'messages: the system prompt is context, assistant messages are references',
      {
        kind: 'messages',
        loc: 'f:2',
        messages: [
          { role: 'system', content: 's' },
          { role: 'user', content: 'u1' },
          { role: 'assistant', content: 'r1' },
          { role: 'user', content: [{ type: 'text', text: 'u2' }] },
        ],
      },
      null,
      { base: {}, context: [{ role: 'system', content: 's' }], turns: [{ content: 'u1', reference: 'r1' }, { content: [{ type: 'text', text: 'u2' }], reference: null }] },
    ],
    [
      'a whole body keeps its other fields for every turn',
      { kind: 'body', loc: 'f:3', body: { messages: [{ role: 'user', content: 'u' }], top_p: 0.9, tools: [] } },
      null,
      { base: { top_p: 0.9, tools: [] }, context: [], turns: [{ content: 'u', reference: null }] },
    ],
  ])('%s', (_name, entry, cap, expected) => {
    expect(userTurns(entry, cap)).toEqual(expected);
  });

  it.each<[Entry, RegExp]>([
    [{ kind: 'body', loc: 'f:4', body: { prompt: 'p' } }, /^f:4: a "prompt" line has no turns to play; multi-turn \(--turns\) needs "messages"/],
    [{ kind: 'messages', loc: 'f:5', messages: [{ role: 'system', content: 's' }] }, /^f:5: no "user" message to play/],
  ])('refuses %j with a line naming the file and the fix', (entry, message) => {
    expect(() => userTurns(entry, null)).toThrow(message);
  });
});
