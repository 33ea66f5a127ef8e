import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { SimRequest } from './protocol.js';
import type { SimScheduler, SimSequence } from './scheduler.js';
import { SequenceResponse } from './sequence-response.js';
import { SIM_WORDS } from './tokens.js';
import type { FaultKind } from './faults.js';
import { epochNow, round3, type RequestLog, type RequestLogEntry } from './request-log.js';

const WORDS = SIM_WORDS.length;
// Constant tails of the per-token chunks, one per word (words are plain ASCII: no escaping).
const CHAT_TOKEN_TAIL = SIM_WORDS.map(
  (w) => `"choices":[{"index":0,"delta":{"content":"${w}"},"logprobs":null,"finish_reason":null}]}\n\n`,
);
const CMPL_TOKEN_TAIL = SIM_WORDS.map(
  (w) => `"choices":[{"index":0,"text":"${w}","logprobs":null,"finish_reason":null,"stop_reason":null}]}\n\n`,
);
const CHAT_ROLE_TAIL = `"choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}\n\n`;
const DONE = 'data: [DONE]\n\n';

export const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

const ID_PREFIX = randomBytes(6).toString('hex');
let idCounter = 0;
function newId(): string {
  return ID_PREFIX + (++idCounter).toString(16).padStart(8, '0');
}

/**
 * Turns one sequence's scheduler events into an HTTP response (SSE stream or one JSON body).
 * The constant prefix of every chunk (id, object, created, model) is built once, so a token write
 * is a single string concat and a single res.write.
 */
export class SimResponder extends SequenceResponse {
  private readonly id: string;
  private readonly created: number;
  private readonly head: string;
  private readonly tails: readonly string[];
  /** huge-chunk: every event, held back until the end. */
  private held = '';
  /** For llama.cpp-style `timings`: prefill (admission to first token) and generation times. */
  private admittedAt = 0;
  private firstTokenAt = 0;
  private lastTokenAt = 0;

  /**
   * `fault`: one of the faults that act after admission (error-event, reset-mid, malformed,
   * truncated, huge-chunk); the others never reach a responder. `entry`: this request's line of
   * the request log, written when the response ends.
   */
  constructor(
    res: ServerResponse,
    private readonly req: SimRequest,
    model: string,
    scheduler: SimScheduler,
    private readonly fault: FaultKind | null = null,
    log: RequestLog | null = null,
    entry: RequestLogEntry | null = null,
    private readonly timings = false,
  ) {
    super(res, scheduler, log, entry);
    const chat = req.api === 'chat';
    this.id = (chat ? 'chatcmpl-' : 'cmpl-') + newId();
    this.created = Math.floor(Date.now() / 1000);
    const object = chat ? (req.stream ? 'chat.completion.chunk' : 'chat.completion') : 'text_completion';
    this.head = `data: {"id":"${this.id}","object":"${object}","created":${this.created},"model":${JSON.stringify(model)},`;
    this.tails = chat ? CHAT_TOKEN_TAIL : CMPL_TOKEN_TAIL;
    if (req.stream) {
      res.writeHead(200, SSE_HEADERS);
      res.flushHeaders();
    }
  }

  private write(chunk: string): void {
    if (this.fault === 'huge-chunk') this.held += chunk;
    else this.res.write(chunk);
  }

  onAdmit(): void {
    if (this.timings) this.admittedAt = performance.now();
    // Through write(): huge-chunk holds the role chunk back with the rest.
    if (this.req.stream && this.req.api === 'chat' && !this.gone()) this.write(this.head + CHAT_ROLE_TAIL);
  }

  onToken(seq: SimSequence): void {
    if (this.gone()) return;
    if (this.timings) {
      const now = performance.now();
      if (seq.generated === 1) this.firstTokenAt = now;
      this.lastTokenAt = now;
    }
    if (this.req.stream) {
      this.write(this.head + (this.tails[(seq.generated - 1 + seq.id) % WORDS] as string));
      this.entry?.writes.push(epochNow());
    }
    if (seq.generated === Math.max(1, Math.floor(seq.outputTokens / 2))) this.midStreamFault(seq);
  }

  /** Faults injected halfway through the output. */
  private midStreamFault(seq: SimSequence): void {
    const res = this.res;
    switch (this.fault) {
      case 'reset-mid':
        this.end();
        this.scheduler.cancel(seq);
        res.destroy();
        return;
      case 'error-event':
        if (!this.req.stream) return;
        this.end();
        this.scheduler.cancel(seq);
        res.end(`data: {"error":{"message":"injected fault: error event","type":"InternalServerError","code":500}}\n\n`);
        return;
      case 'malformed':
        if (this.req.stream) res.write(`${this.head}"choices":[{"index":0,"delta":{"content":\n\n`);
        return;
    }
  }

  onFinish(seq: SimSequence): void {
    if (this.gone()) return;
    this.end();
    const req = this.req;
    const reason = req.maxTokens !== undefined && seq.outputTokens >= req.maxTokens ? 'length' : 'stop';
    const usage = `{"prompt_tokens":${seq.promptTokens},"total_tokens":${seq.promptTokens + seq.generated},"completion_tokens":${seq.generated}}`;
    // llama.cpp's server puts these in its final chunk; the time queued before admission is not in them.
    const predictedMs = this.lastTokenAt - this.firstTokenAt;
    const timings = this.timings
      ? `,"timings":{"prompt_n":${seq.promptTokens},"prompt_ms":${round3(this.firstTokenAt - this.admittedAt)},"predicted_n":${seq.generated},"predicted_ms":${round3(predictedMs)},"predicted_per_token_ms":${round3(seq.generated > 1 ? predictedMs / (seq.generated - 1) : 0)}}`
      : '';
    const res = this.res;
    if (req.stream) {
      if (this.fault === 'truncated') return void res.end();
      res.cork();
      this.write(
        this.head +
          (req.api === 'chat'
            ? `"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"${reason}","stop_reason":null}]${timings}}\n\n`
            : `"choices":[{"index":0,"text":"","logprobs":null,"finish_reason":"${reason}","stop_reason":null}]${timings}}\n\n`),
      );
      if (req.includeUsage) this.write(`${this.head}"choices":[],"usage":${usage}}\n\n`);
      res.end(this.held + DONE);
      return;
    }
    let text = '';
    for (let i = 0; i < seq.generated; i++) text += SIM_WORDS[(i + seq.id) % WORDS];
    const choice =
      req.api === 'chat'
        ? `{"index":0,"message":{"role":"assistant","content":"${text}","tool_calls":[]},"logprobs":null,"finish_reason":"${reason}","stop_reason":null}`
        : `{"index":0,"text":"${text}","logprobs":null,"finish_reason":"${reason}","stop_reason":null}`;
    // head without the SSE "data: " prefix
    let body = `${this.head.slice(6)}"choices":[${choice}],"usage":${usage}${timings}}`;
    this.endJson(body, this.fault);
  }
}
