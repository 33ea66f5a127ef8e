import type { Pool } from 'undici';
import { Exchange, type BodyDecoder, type ExchangeOutcome } from '../client/exchange.js';
import { decodePoolingResponse, type PoolingApi } from '../client/pooling-response.js';
import type { ApiKind } from '../config/target.js';
import { decodeOpenAiResponse } from '../sse/openai-delta.js';
import { RequestTimeoutError } from '../client/errors.js';
import { redact } from '../client/redact.js';
import type { RequestRecord } from '../metrics/record.js';
import type { IntervalRecorder } from '../metrics/recorder.js';
import { LiveSlots } from './live-slots.js';

export interface SendTarget {
  pool: Pool;
  path: string;
  headers: Record<string, string>;
  stream: boolean;
  timeoutMs: number;
  collectText: boolean;
  /** Values to scrub from error messages (worker-main: the request's secret header values). */
  secrets: readonly string[];
  runId: string;
  /** Embeddings and rerank answers are read as such, and count no output tokens. */
  api: ApiKind;
  /** --tokenizer: counts a reply's tokens when the server sends no usage; null = one per content event. */
  countTokens: ((text: string) => number) | null;
}

/** Reuses ITL gap buffers across requests instead of allocating one per request. */
class GapBuffers {
  private free: Float64Array[] = [];
  get(): Float64Array {
    return this.free.pop() ?? new Float64Array(256);
  }
  put(b: Float64Array): void {
    if (this.free.length < 1024) this.free.push(b);
  }
}

export interface SendJob {
  step: number;
  index: number;
  worker: number;
  scheduledAt: number;
  body: string;
  inputTokensEstimate: number;
  recorder: IntervalRecorder;
  /** Multi-turn: the conversation and turn (from 1), and the reply text is handed to `done`. */
  conversation: number;
  turn: number;
  maxTokens: number;
}

/** How a request ended, for whoever plays the next turn of its conversation. */
export interface SendOutcome {
  ok: boolean;
  /** The reply text, for multi-turn jobs (turn > 0); else null. */
  text: string | null;
  outputTokens: number;
}

/**
 * Sends requests through the worker's pool and turns each exchange into one RequestRecord.
 * `inFlight` holds live exchanges so a hard stop can abort them.
 */
export class Sender {
  readonly inFlight = new LiveSlots<Exchange>();
  private readonly gaps = new GapBuffers();

  private readonly decodeWhole: BodyDecoder;
  /** Embeddings and rerank answers count no output tokens. */
  private readonly generates: boolean;
  /**
   * The server has sent usage: replies need no tokenizer count, so their text is no longer kept
   * for it (keeping text turns off the stream decoder's fast path). A later reply without usage
   * is then counted per content event.
   */
  private serverCounts = false;

  constructor(private readonly target: SendTarget) {
    const api = target.api;
    this.generates = api !== 'embeddings' && api !== 'rerank';
    this.decodeWhole = this.generates ? decodeOpenAiResponse : (body) => decodePoolingResponse(api as PoolingApi, body);
  }

  send(job: SendJob, done: (outcome: SendOutcome) => void): void {
    const { recorder } = job;
    let sent = false;
    let timer: NodeJS.Timeout | undefined;
    let slot = -1;
    const exchange = new Exchange(
      this.target.stream,
      this.target.collectText || job.turn > 0 || (this.target.countTokens !== null && !this.serverCounts),
      {
        onSent: (now) => {
          sent = true;
          recorder.onSent(now);
        },
        onContentEvent: () => recorder.onContentEvent(),
        onDone: (o) => {
          clearTimeout(timer);
          this.inFlight.remove(slot);
          if (o.errorMessage !== null && this.target.secrets.length > 0) o.errorMessage = redact(o.errorMessage, this.target.secrets);
          if (o.usage !== null) this.serverCounts = true;
          const record = toRecord(job, o, this.target, this.generates);
          recorder.addRecord(record, sent, o.gaps, o.gapCount);
          this.gaps.put(o.gaps);
          done({ ok: record.errorClass === null, text: job.turn > 0 ? (o.reply?.text ?? null) : null, outputTokens: record.outputTokens });
        },
      },
      this.gaps.get(),
      this.decodeWhole,
    );
    slot = this.inFlight.add(exchange);
    timer = setTimeout(() => exchange.fail(new RequestTimeoutError(`no complete response within ${this.target.timeoutMs} ms (--timeout)`)), this.target.timeoutMs);
    // A request id per request: servers (vLLM among them) log it, so their logs join requests.jsonl.
    const headers = { ...this.target.headers, 'x-request-id': `${this.target.runId}-${job.step}-${job.index}` };
    this.target.pool.dispatch({ path: this.target.path, method: 'POST', headers, body: job.body }, exchange);
  }
}

function toRecord(job: SendJob, o: ExchangeOutcome, target: SendTarget, generates: boolean): RequestRecord {
  const usage = o.usage;
  // Without usage, a tokenizer counts the reply's text; without one (or when the reply had
  // reasoning, which is not collected), each content event is taken as one token: what most servers send.
  const counted = usage === null && target.countTokens !== null && o.reply !== null && !o.uncollected ? target.countTokens(o.reply.text) : null;
  const record: RequestRecord = {
    step: job.step,
    index: job.index,
    worker: job.worker,
    scheduledAt: job.scheduledAt,
    sentAt: o.sentAt,
    headersAt: o.headersAt,
    firstTokenAt: o.firstTokenAt,
    lastTokenAt: o.lastTokenAt,
    endAt: o.endAt,
    inputTokens: usage ? usage.promptTokens : job.inputTokensEstimate,
    // Embeddings and rerank generate nothing (their one "content event" is the answer).
    outputTokens: !generates ? 0 : usage ? usage.completionTokens : (counted ?? o.contentEvents),
    tokenSource: usage ? 'usage' : counted !== null ? 'tokenizer' : 'estimate',
    contentEvents: o.contentEvents,
    status: o.status,
    errorClass: o.errorClass,
    errorMessage: o.errorMessage,
    serverPromptMs: o.timings?.promptMs ?? NaN,
    serverPredictedMs: o.timings?.predictedMs ?? NaN,
    conversation: job.conversation,
    turn: job.turn,
    maxTokens: job.maxTokens,
  };
  // Only accuracy runs keep the reply in the record; multi-turn keeps it only for the next turn.
  if (target.collectText && o.reply !== null) record.reply = o.reply;
  return record;
}
