import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { SimRequest } from './protocol.js';
import type { SequenceEvents, SimScheduler, SimSequence } from './scheduler.js';
import { SIM_WORDS } from './tokens.js';
import { epochNow, type TimingEntry, type TimingLog } from './timing-log.js';

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
export class SimResponder implements SequenceEvents {
  seq: SimSequence | undefined = undefined;
  private done = false;
  private readonly id: string;
  private readonly created: number;
  private readonly head: string;
  private readonly tails: readonly string[];
  private readonly timing: TimingEntry | null;

  constructor(
    private readonly res: ServerResponse,
    private readonly req: SimRequest,
    private readonly model: string,
    private readonly scheduler: SimScheduler,
    private readonly timingLog: TimingLog | null = null,
    timingKey: string | null = null,
  ) {
    this.timing = timingLog && req.stream ? { key: timingKey, recv: epochNow(), writes: [] } : null;
    const chat = req.api === 'chat';
    this.id = (chat ? 'chatcmpl-' : 'cmpl-') + newId();
    this.created = Math.floor(Date.now() / 1000);
    const object = chat ? (req.stream ? 'chat.completion.chunk' : 'chat.completion') : 'text_completion';
    this.head = `data: {"id":"${this.id}","object":"${object}","created":${this.created},"model":${JSON.stringify(model)},`;
    this.tails = chat ? CHAT_TOKEN_TAIL : CMPL_TOKEN_TAIL;
    res.once('close', this.onClose);
    if (req.stream) {
      res.writeHead(200, SSE_HEADERS);
      res.flushHeaders();
    }
  }

  /** Client went away (or the server closed the socket) before the end: free the slot. */
  private readonly onClose = (): void => {
    if (this.done) return;
    this.done = true;
    if (this.seq) this.scheduler.cancel(this.seq);
  };

  private gone(): boolean {
    if (this.done) return true;
    if (this.res.destroyed) {
      this.onClose();
      return true;
    }
    return false;
  }

  onAdmit(): void {
    if (this.req.stream && this.req.api === 'chat' && !this.gone()) this.res.write(this.head + CHAT_ROLE_TAIL);
  }

  onToken(seq: SimSequence): void {
    if (this.req.stream && !this.gone()) {
      this.res.write(this.head + (this.tails[(seq.generated - 1 + seq.id) % WORDS] as string));
      this.timing?.writes.push(epochNow());
    }
  }

  onFinish(seq: SimSequence): void {
    if (this.gone()) return;
    this.done = true;
    const req = this.req;
    const reason = req.maxTokens !== undefined && seq.outputTokens >= req.maxTokens ? 'length' : 'stop';
    const usage = `{"prompt_tokens":${seq.promptTokens},"total_tokens":${seq.promptTokens + seq.generated},"completion_tokens":${seq.generated}}`;
    const res = this.res;
    if (req.stream) {
      res.cork();
      res.write(
        this.head +
          (req.api === 'chat'
            ? `"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"${reason}","stop_reason":null}]}\n\n`
            : `"choices":[{"index":0,"text":"","logprobs":null,"finish_reason":"${reason}","stop_reason":null}]}\n\n`),
      );
      if (req.includeUsage) res.write(`${this.head}"choices":[],"usage":${usage}}\n\n`);
      res.end(DONE);
      if (this.timing) this.timingLog!.write(this.timing);
      return;
    }
    let text = '';
    for (let i = 0; i < seq.generated; i++) text += SIM_WORDS[(i + seq.id) % WORDS];
    const choice =
      req.api === 'chat'
        ? `{"index":0,"message":{"role":"assistant","content":"${text}","tool_calls":[]},"logprobs":null,"finish_reason":"${reason}","stop_reason":null}`
        : `{"index":0,"text":"${text}","logprobs":null,"finish_reason":"${reason}","stop_reason":null}`;
    // head without the SSE "data: " prefix
    const body = `${this.head.slice(6)}"choices":[${choice}],"usage":${usage}}`;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }
}
