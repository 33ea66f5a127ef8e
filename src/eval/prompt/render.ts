/**
 * Turns a prompt layout into the request body for either API. Few-shot layouts follow lm-eval:
 * completions get one text (`prefix + example + delimiter + answer + "\n\n" + ... + query`);
 * chat gets the examples as alternating user / assistant turns (lm-eval's
 * `--fewshot_as_multiturn`), the prefix heading the first user turn.
 */
import type { ChatMessage, EvalRequest, RequestBody, RunOptions } from '../types.js';

export interface Layout {
  /** Description before the first example (lm-eval `description`); '' for none. */
  prefix: string;
  shots: { text: string; answer: string }[];
  query: string;
  /** Between an example and its answer (lm-eval target_delimiter, ' '). */
  delimiter: string;
}

export interface Generation {
  maxTokens: number;
  /** Completions API only: chat replies end on their own. */
  stop?: string[];
}

const DEFAULT_TOP_LOGPROBS = 20;

/** A single-turn prompt: the whole text is the query. */
export function single(text: string): Layout {
  return { prefix: '', shots: [], query: text, delimiter: ' ' };
}

export function buildRequest(layout: Layout, opts: RunOptions, gen: Generation): EvalRequest {
  const body: RequestBody = { max_tokens: 0, temperature: opts.temperature ?? 0 };
  let display: string;
  if (opts.api === 'chat') {
    const messages = chatMessages(layout);
    body.messages = messages;
    display = messages.length === 1 ? messages[0]!.content : messages.map((m) => `[${m.role}]\n${m.content}`).join('\n\n');
  } else {
    body.prompt = completionText(layout);
    display = body.prompt;
  }
  if (opts.mode === 'logprob') {
    body.max_tokens = 1;
    const n = opts.topLogprobs ?? DEFAULT_TOP_LOGPROBS;
    if (opts.api === 'chat') {
      body.logprobs = true;
      body.top_logprobs = n;
    } else {
      body.logprobs = n;
    }
  } else {
    body.max_tokens = opts.maxTokens ?? gen.maxTokens;
    if (opts.api === 'completions' && gen.stop && gen.stop.length > 0) body.stop = gen.stop;
  }
  return { api: opts.api, body, display };
}

function completionText(l: Layout): string {
  return l.prefix + l.shots.map((s) => `${s.text}${l.delimiter}${s.answer}\n\n`).join('') + l.query;
}

export function chatMessages(l: Layout): ChatMessage[] {
  const out: ChatMessage[] = [];
  l.shots.forEach((s, k) => {
    out.push({ role: 'user', content: (k === 0 ? l.prefix : '') + s.text });
    out.push({ role: 'assistant', content: s.answer });
  });
  out.push({ role: 'user', content: (l.shots.length === 0 ? l.prefix : '') + l.query });
  return out;
}
