/**
 * Decoders for OpenAI-compatible payloads: one SSE `data` payload of a streamed
 * chat/completions response, and a whole non-streamed response body.
 *
 * The metric contract (DESIGN.md) says a token event is one whose delta carries non-empty
 * `content`, `reasoning_content` or `reasoning` (or `text` for /v1/completions). A role-only
 * first chunk, the finish chunk and the usage-only chunk are not tokens: timing TTFT at the
 * role chunk is the mistake we exist to avoid. So textLength is the one field callers time on.
 */

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/** llama.cpp's `timings` object (also emitted by some llama.cpp-compatible servers). */
export interface ServerTimings {
  promptMs?: number;
  predictedMs?: number;
  predictedPerTokenMs?: number;
}

export type DeltaKind = 'done' | 'chunk' | 'error' | 'malformed';

export interface DecodedEvent {
  kind: DeltaKind;
  /**
   * Characters of generated text in this event: choices[*].delta.content + reasoning_content +
   * reasoning (chat) or choices[*].text (completions). 0 means NOT a token event. Always 0 for
   * kinds other than 'chunk', even if an error event also carried content.
   */
  textLength: number;
  /**
   * The reply's text (content, or completions text; reasoning is counted in textLength but not
   * collected: the answer is what the user sees); a string iff collectText was true.
   */
  text?: string;
  usage?: Usage;
  finishReason?: string;
  errorMessage?: string;
  timings?: ServerTimings;
}

export interface DecodedResponse {
  kind: 'ok' | 'error' | 'malformed';
  /** The reply's content when collectText was true (reasoning not included), else ''. */
  text: string;
  /** Per output position, token -> logprob of the top alternatives, when the server sent them. */
  topLogprobs?: Record<string, number>[];
  textLength: number;
  usage?: Usage;
  finishReason?: string;
  errorMessage?: string;
  timings?: ServerTimings;
}

type Json = Record<string, unknown>;

const SNIPPET = 80;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function snippet(s: string): string {
  return s.length > SNIPPET ? s.slice(0, SNIPPET) + '...' : s;
}

function isDone(data: string): boolean {
  if (data === '[DONE]') return true;
  // Only trim short payloads: a JSON chunk is never '[DONE]' and trimming it allocates.
  return data.length < 64 && data.trim() === '[DONE]';
}

/**
 * Error shapes seen in the wild: OpenAI and newer vLLM `{"error":{"message",...}}`, older vLLM
 * `{"object":"error","message",...}`, and servers that send `{"error":"text"}`.
 */
/** The message of an error object: OpenAI's {"error": ...} or vLLM's {"object": "error", "message"}. */
export function errorOf(o: Json): string | undefined {
  const err = o.error;
  if (err !== undefined && err !== null) {
    if (typeof err === 'string') return err;
    if (isObject(err) && typeof err.message === 'string') return err.message;
    return snippet(JSON.stringify(err));
  }
  if (o.object === 'error') {
    return typeof o.message === 'string' ? o.message : snippet(JSON.stringify(o));
  }
  return undefined;
}

function usageOf(o: Json): Usage | undefined {
  const u = o.usage;
  if (!isObject(u)) return undefined; // absent, or null on ordinary OpenAI chunks
  const p = u.prompt_tokens;
  const c = u.completion_tokens;
  if (typeof p !== 'number' || typeof c !== 'number' || !Number.isFinite(p) || !Number.isFinite(c)) {
    return undefined;
  }
  return { promptTokens: p, completionTokens: c };
}

function timingsOf(o: Json): ServerTimings | undefined {
  const t = o.timings;
  if (!isObject(t)) return undefined;
  const out: ServerTimings = {};
  let any = false;
  if (typeof t.prompt_ms === 'number') {
    out.promptMs = t.prompt_ms;
    any = true;
  }
  if (typeof t.predicted_ms === 'number') {
    out.predictedMs = t.predicted_ms;
    any = true;
  }
  if (typeof t.predicted_per_token_ms === 'number') {
    out.predictedPerTokenMs = t.predicted_per_token_ms;
    any = true;
  }
  return any ? out : undefined;
}

/** Text fields of one delta (stream) or message (non-stream): content, then the reasoning ones. */
function addFields(src: unknown, acc: TextAcc): void {
  if (!isObject(src)) return;
  acc.add(src.content);
  acc.add(src.reasoning_content, false);
  acc.add(src.reasoning, false);
}

/**
 * Sums lengths always; concatenates only when asked, so the hot path builds no strings.
 * Reasoning text counts (its events are tokens) but is not part of the collected reply.
 */
class TextAcc {
  length = 0;
  text = '';
  constructor(private readonly collect: boolean) {}
  add(v: unknown, reply = true): void {
    // null and "" are "no text" (role-only and finish chunks send content "" or null).
    if (typeof v !== 'string' || v.length === 0) return;
    this.length += v.length;
    if (this.collect && reply) this.text += v;
  }
}

/**
 * The first choice's top logprobs per position: chat puts them in logprobs.content[i].top_logprobs
 * as {token, logprob} lists, completions in logprobs.top_logprobs as {token: logprob} maps.
 */
function topLogprobsOf(o: Json): Record<string, number>[] | undefined {
  const choice = Array.isArray(o.choices) ? o.choices[0] : undefined;
  const lp = isObject(choice) ? choice.logprobs : undefined;
  if (!isObject(lp)) return undefined;
  if (Array.isArray(lp.content)) {
    return lp.content.map((pos) => {
      const out: Record<string, number> = {};
      const tops = isObject(pos) && Array.isArray(pos.top_logprobs) ? pos.top_logprobs : [];
      for (const t of tops) if (isObject(t) && typeof t.token === 'string' && typeof t.logprob === 'number') out[t.token] = t.logprob;
      return out;
    });
  }
  if (Array.isArray(lp.top_logprobs)) {
    return lp.top_logprobs.map((m) => {
      const out: Record<string, number> = {};
      if (isObject(m)) for (const [k, v] of Object.entries(m)) if (typeof v === 'number') out[k] = v;
      return out;
    });
  }
  return undefined;
}

interface Parsed {
  obj?: Json;
  problem?: string;
}

function parseObject(raw: string, what: string): Parsed {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { problem: `invalid JSON in ${what}: ${snippet(raw)}` };
  }
  if (!isObject(v)) return { problem: `${what} is not a JSON object: ${snippet(raw)}` };
  return { obj: v };
}

/**
 * Walks choices (summing n>1), returning the first non-null finish_reason, or a problem string
 * when `choices` is present but not an array. `null` choices are treated as absent.
 */
function walkChoices(
  o: Json,
  acc: TextAcc,
  pick: (choice: Json, acc: TextAcc) => void,
): { finishReason?: string; problem?: string } {
  const choices = o.choices;
  if (choices === undefined || choices === null) return {};
  if (!Array.isArray(choices)) return { problem: 'choices is not an array' };
  let finishReason: string | undefined;
  for (const c of choices) {
    if (!isObject(c)) continue;
    pick(c, acc);
    if (finishReason === undefined && typeof c.finish_reason === 'string') finishReason = c.finish_reason;
  }
  return finishReason === undefined ? {} : { finishReason };
}

function pickDelta(c: Json, acc: TextAcc): void {
  addFields(c.delta, acc);
  acc.add(c.text); // /v1/completions streams put text on the choice itself
}

function pickMessage(c: Json, acc: TextAcc): void {
  addFields(c.message, acc);
  acc.add(c.text);
}

/** Decodes one SSE `data` payload of an OpenAI-compatible stream. */
export function decodeOpenAiEvent(data: string, collectText: boolean): DecodedEvent {
  const text = collectText ? '' : undefined;
  if (isDone(data)) return { kind: 'done', textLength: 0, text };
  // An empty `data:` line is a valid SSE event but carries nothing; treat it as a keep-alive
  // rather than failing the request as a protocol error.
  if (data.length === 0 || data.trim().length === 0) return { kind: 'chunk', textLength: 0, text };

  const { obj, problem } = parseObject(data, 'data line');
  if (obj === undefined) return { kind: 'malformed', textLength: 0, text, errorMessage: problem };

  const ev: DecodedEvent = { kind: 'chunk', textLength: 0, text };
  const usage = usageOf(obj);
  if (usage !== undefined) ev.usage = usage;
  const timings = timingsOf(obj);
  if (timings !== undefined) ev.timings = timings;

  const errorMessage = errorOf(obj);
  if (errorMessage !== undefined) {
    ev.kind = 'error';
    ev.errorMessage = errorMessage;
    return ev;
  }

  const acc = new TextAcc(collectText);
  const walked = walkChoices(obj, acc, pickDelta);
  if (walked.problem !== undefined) {
    return { kind: 'malformed', textLength: 0, text, errorMessage: `${walked.problem}: ${snippet(data)}` };
  }
  if (walked.finishReason !== undefined) ev.finishReason = walked.finishReason;
  ev.textLength = acc.length;
  if (collectText) ev.text = acc.text;
  return ev;
}

/** Decodes a whole non-streamed `chat.completion` or `text_completion` body, or an error body. */
export function decodeOpenAiResponse(body: string, collectText: boolean): DecodedResponse {
  if (body.trim().length === 0) {
    return { kind: 'malformed', text: '', textLength: 0, errorMessage: 'empty response body' };
  }
  const { obj, problem } = parseObject(body, 'response body');
  if (obj === undefined) return { kind: 'malformed', text: '', textLength: 0, errorMessage: problem };

  const res: DecodedResponse = { kind: 'ok', text: '', textLength: 0 };
  const usage = usageOf(obj);
  if (usage !== undefined) res.usage = usage;
  const timings = timingsOf(obj);
  if (timings !== undefined) res.timings = timings;

  const errorMessage = errorOf(obj);
  if (errorMessage !== undefined) {
    res.kind = 'error';
    res.errorMessage = errorMessage;
    return res;
  }

  const acc = new TextAcc(collectText);
  const walked = walkChoices(obj, acc, pickMessage);
  if (walked.problem !== undefined) {
    return { kind: 'malformed', text: '', textLength: 0, errorMessage: `${walked.problem}: ${snippet(body)}` };
  }
  if (walked.finishReason !== undefined) res.finishReason = walked.finishReason;
  res.textLength = acc.length;
  res.text = acc.text;
  if (collectText) {
    const top = topLogprobsOf(obj);
    if (top !== undefined) res.topLogprobs = top;
  }
  return res;
}
