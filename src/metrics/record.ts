/**
 * One finished request, as DESIGN.md's metric contract defines it. Times are performance.now()
 * milliseconds on the shared time origin; NaN where an event never happened (no headers, no
 * token). Every metric is derived from this record afterwards (derive.ts).
 */
export const ERROR_CLASSES = [
  'http_4xx',
  'http_429',
  'http_5xx',
  'api_error',
  'protocol',
  'empty',
  'timeout',
  'connect',
  'reset',
  'aborted',
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

export const TOKEN_SOURCES = ['usage', 'tokenizer', 'estimate'] as const;
export type TokenSource = (typeof TOKEN_SOURCES)[number];

export interface RequestRecord {
  step: number;
  index: number;
  worker: number;
  scheduledAt: number;
  sentAt: number;
  headersAt: number;
  firstTokenAt: number;
  lastTokenAt: number;
  endAt: number;
  inputTokens: number;
  outputTokens: number;
  tokenSource: TokenSource;
  contentEvents: number;
  status: number;
  errorClass: ErrorClass | null;
  errorMessage: string | null;
  /** The server's own timings when it reports them (llama.cpp `timings`): prefill and generation ms; NaN if not. */
  serverPromptMs: number;
  serverPredictedMs: number;
  /** Multi-turn runs: the conversation (numbered per step) and the turn in it, from 1; NaN and 0 otherwise. */
  conversation: number;
  turn: number;
  /** max_tokens the request asked for; NaN when unknown or none. */
  maxTokens: number;
  /** The reply, only when the run collects it (accuracy runs); never in requests.jsonl. */
  reply?: ReplyDetail | null;
}

/** What an accuracy run needs of a reply, besides its timing. */
export interface ReplyDetail {
  /** The content (reasoning excluded). */
  text: string;
  finishReason: string | null;
  /** Per output position, token -> logprob of the top alternatives, when the server sent them. */
  topLogprobs: Record<string, number>[] | null;
}

/**
 * Records cross the worker boundary as one transferred Float64Array per batch (~30 ns a record)
 * instead of structured-cloned objects; error messages travel beside it, only for failures.
 */
export const RECORD_STRIDE = 20;

export function packRecords(records: readonly RequestRecord[]): { packed: Float64Array; messages: (string | null)[]; replies: (ReplyDetail | null)[] | null } {
  const packed = new Float64Array(records.length * RECORD_STRIDE);
  const messages: (string | null)[] = new Array(records.length);
  const replies = records.some((r) => r.reply !== undefined) ? records.map((r) => r.reply ?? null) : null;
  records.forEach((r, i) => {
    const o = i * RECORD_STRIDE;
    packed[o] = r.step;
    packed[o + 1] = r.index;
    packed[o + 2] = r.worker;
    packed[o + 3] = r.scheduledAt;
    packed[o + 4] = r.sentAt;
    packed[o + 5] = r.headersAt;
    packed[o + 6] = r.firstTokenAt;
    packed[o + 7] = r.lastTokenAt;
    packed[o + 8] = r.endAt;
    packed[o + 9] = r.inputTokens;
    packed[o + 10] = r.outputTokens;
    packed[o + 11] = TOKEN_SOURCES.indexOf(r.tokenSource);
    packed[o + 12] = r.contentEvents;
    packed[o + 13] = r.status;
    packed[o + 14] = r.errorClass === null ? -1 : ERROR_CLASSES.indexOf(r.errorClass);
    packed[o + 15] = r.serverPromptMs;
    packed[o + 16] = r.serverPredictedMs;
    packed[o + 17] = r.conversation;
    packed[o + 18] = r.turn;
    packed[o + 19] = r.maxTokens;
    messages[i] = r.errorMessage;
  });
  return { packed, messages, replies };
}

export function unpackRecords(packed: Float64Array, messages: readonly (string | null)[], replies: readonly (ReplyDetail | null)[] | null = null): RequestRecord[] {
  const n = packed.length / RECORD_STRIDE;
  const out: RequestRecord[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * RECORD_STRIDE;
    const cls = packed[o + 14]!;
    out[i] = {
      step: packed[o]!,
      index: packed[o + 1]!,
      worker: packed[o + 2]!,
      scheduledAt: packed[o + 3]!,
      sentAt: packed[o + 4]!,
      headersAt: packed[o + 5]!,
      firstTokenAt: packed[o + 6]!,
      lastTokenAt: packed[o + 7]!,
      endAt: packed[o + 8]!,
      inputTokens: packed[o + 9]!,
      outputTokens: packed[o + 10]!,
      tokenSource: TOKEN_SOURCES[packed[o + 11]!] ?? 'estimate',
      contentEvents: packed[o + 12]!,
      status: packed[o + 13]!,
      errorClass: cls < 0 ? null : ERROR_CLASSES[cls]!,
      errorMessage: messages[i] ?? null,
      serverPromptMs: packed[o + 15]!,
      serverPredictedMs: packed[o + 16]!,
      conversation: packed[o + 17]!,
      turn: packed[o + 18]!,
      maxTokens: packed[o + 19]!,
      ...(replies !== null && { reply: replies[i] ?? null }),
    };
  }
  return out;
}

const rel = (t: number, origin: number) => (Number.isNaN(t) ? null : Math.round((t - origin) * 1000) / 1000);

/** One `requests.jsonl` line (Output contract), times relative to the run's start. */
export function recordToJsonLine(r: RequestRecord, runStart: number): string {
  return JSON.stringify({
    step: r.step,
    index: r.index,
    worker: r.worker,
    scheduled_at: rel(r.scheduledAt, runStart),
    sent_at: rel(r.sentAt, runStart),
    headers_at: rel(r.headersAt, runStart),
    first_token_at: rel(r.firstTokenAt, runStart),
    last_token_at: rel(r.lastTokenAt, runStart),
    end_at: rel(r.endAt, runStart),
    input_tokens: r.inputTokens,
    output_tokens: r.outputTokens,
    max_tokens: Number.isNaN(r.maxTokens) ? null : r.maxTokens,
    token_source: r.tokenSource,
    content_events: r.contentEvents,
    status: r.status,
    error_class: r.errorClass,
    error: r.errorMessage,
    server_prompt_ms: Number.isNaN(r.serverPromptMs) ? null : r.serverPromptMs,
    server_predicted_ms: Number.isNaN(r.serverPredictedMs) ? null : r.serverPredictedMs,
    ...(r.turn > 0 && { conversation: r.conversation, turn: r.turn }),
  });
}
