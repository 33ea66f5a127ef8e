import type { ConversationData } from './conversation.js';
import { turnCounts, userTurns } from './conversation.js';
import { entryMaxTokens, promptText } from './bodies.js';
import { readDataset, type DatasetFormat } from './dataset-files.js';
import { formatLength } from './lengths.js';
import type { Built, PrepareOptions, PromptPlan } from './prompt-source.js';
import { estimateTokens } from './synthetic.js';
import type { Tokenizer } from '../tokenizer/tokenizer.js';

/**
 * Multi-turn sources (--turns): random prompts as the user messages of conversations, or a
 * dataset's conversations (ShareGPT, or `messages` lines) with their user turns counted.
 */

/** Random prompts, played as conversations when --turns is set (else unchanged). */
export function asConversations(p: PromptPlan, single: Built): Built {
  if (p.turns === null) return single;
  if (p.turns === 'all') throw new Error('--turns all needs a dataset'); // run-plan.ts refuses it first
  const turns = p.turns;
  return {
    ...single,
    description: `conversations of ${formatLength(turns)} turns, each user message ${single.description}${p.thinkMs > 0 ? `, ${p.thinkMs} ms think time` : ''}`,
    source: (shape) => {
      const s = single.source(shape);
      if (s.kind !== 'synthetic') throw new Error('random prompts give a synthetic source');
      const { kind: _kind, ...random } = s;
      return { kind: 'random-conversations', random, turns, thinkMs: p.thinkMs };
    },
  };
}

export function datasetConversations(p: PromptPlan, { format, path }: { format: DatasetFormat; path: string }, tok: Tokenizer | null, o: PrepareOptions): Built {
  const { entries, skipped } = readDataset(format, path, o.needed, true);
  const count = tok ? (t: string) => tok.count(t) : estimateTokens;
  const maxTurns = p.turns === 'all' || p.turns === null ? null : p.turns.kind === 'fixed' ? p.turns.value : p.turns.max;
  let k = 0;
  const conversations: ConversationData[] = entries.map((entry) => {
    const { base, context, turns } = userTurns(entry, maxTurns);
    return {
      loc: entry.loc,
      base,
      context,
      turns: turns.map((t) => {
        const text = promptText({ kind: 'messages', loc: entry.loc, messages: [{ role: 'user', content: t.content }] });
        const reference = t.reference !== null && p.maxTokens.kind === 'dataset' ? count(t.reference) : null;
        return { content: t.content, inputTokens: count(text), maxTokens: entryMaxTokens(entry, reference, k++, p.maxTokens, p.seed) };
      }),
    };
  });
  const userLengths = conversations.flatMap((c) => c.turns.map((t) => t.inputTokens));
  const counts = turnCounts(conversations);
  const by = tok ? tok.name : 'an estimate of ~4 characters a token';
  return {
    description: `${format}:${path} as conversations (${counts.conversations} conversations, ${counts.turns_mean} user turns on average${maxTurns !== null ? `, at most ${maxTurns}` : ''}${skipped ? `, ${skipped} without a user turn skipped` : ''}; user messages counted by ${by}${p.thinkMs > 0 ? `; ${p.thinkMs} ms think time` : ''})`,
    countedBy: tok ? 'tokenizer' : 'estimate',
    info: { path, skipped, ...counts },
    source: () => ({ kind: 'conversations', conversations, ignoreEos: p.ignoreEos, thinkMs: p.thinkMs }),
    lengths: (_stream, n) => Array.from({ length: n }, (_, i) => userLengths[i % userLengths.length]!),
  };
}
