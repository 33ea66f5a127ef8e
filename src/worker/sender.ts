import type { Pool } from 'undici';
import { Exchange, type BodyDecoder, type ExchangeHooks, type ExchangeOutcome } from '../client/exchange.js';
import { decodePoolingResponse, type PoolingApi } from '../client/pooling-response.js';
import type { ApiKind } from '../config/target.js';
import { decodeOpenAiResponse } from '../sse/openai-delta.js';
import { RequestTimeoutError, type RequestAbortedError } from '../client/errors.js';
import { redact } from '../client/redact.js';
import type { RequestRecord } from '../metrics/record.js';
import type { IntervalRecorder } from '../metrics/recorder.js';

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

/** A flight whose buffers grew past this (a very long reply or SSE line) is not kept for reuse. */
const KEEP_BYTES = 32 * 1024;

/**
 * One request at a time, reused for the next once undici has finished with it: its exchange
 * (outcome, SSE parser and decoder), hooks, dispatch options and timeout timer live as long as
 * the worker's peak concurrency, so a request allocates little beyond its body and its record.
 * At 1,000 req/s these were ~2 KB a request, and what outlived its request made the
 * scavenges that delay open-loop sends.
 */
class Flight implements ExchangeHooks {
  readonly exchange: Exchange;
  /** The request this flight carries; null between requests. */
  job: SendJob | null = null;
  done: ((outcome: SendOutcome) => void) | null = null;
  /** Armed at each send (refresh), never cleared between requests: it fails only a request in flight. */
  private timer: NodeJS.Timeout | null = null;
  /** undici reads these when it builds its request; a flight is reused only after that request ended. */
  readonly headers: string[];
  readonly options: { path: string; method: 'POST'; headers: string[]; body: string };

  constructor(
    private readonly sender: Sender,
    collectText: boolean,
  ) {
    const t = sender.target;
    this.exchange = new Exchange(t.stream, collectText, this, new Float64Array(256), sender.decodeWhole);
    // Our x-request-id replaces one given with --header: two would reach the server as one joined value.
    this.headers = [...Object.entries(t.headers).filter(([k]) => k !== 'x-request-id').flat(), 'x-request-id', ''];
    this.options = { path: t.path, method: 'POST', headers: this.headers, body: '' };
  }

  start(job: SendJob, done: (outcome: SendOutcome) => void, timeoutMs: number): void {
    this.job = job;
    this.done = done;
    if (this.timer === null) this.timer = setTimeout(this.onTimeout, timeoutMs);
    else this.timer.refresh();
  }

  /** The request ended; `drop`: the flight will not carry another, so its timer goes too. */
  idle(drop: boolean): void {
    this.job = null;
    this.done = null;
    if (drop && this.timer !== null) clearTimeout(this.timer);
  }

  private readonly onTimeout = (): void => {
    if (this.job !== null) this.exchange.fail(new RequestTimeoutError(`no complete response within ${this.sender.target.timeoutMs} ms (--timeout)`));
  };

  onSent(now: number): void {
    this.job!.recorder.onSent(now);
  }

  onContentEvent(): void {
    this.job!.recorder.onContentEvent();
  }

  onDone(o: ExchangeOutcome): void {
    this.sender.finish(this, o);
  }
}

/**
 * Sends requests through the worker's pool and turns each exchange into one RequestRecord.
 */
export class Sender {
  /**
   * Every flight kept (carrying a request or free), so a hard stop can abort those in flight.
   * An array that changes only when the peak concurrency grows, not a Set added to and deleted
   * from per request: once a Set's table has reached the old generation, its rehash chain keeps
   * every request it held alive until a full GC (bench set-churn; at 1,000 req/s it made every
   * worker scavenge copy and promote ~2 MB, 4-7 ms pauses instead of ~1 ms).
   */
  private readonly flights: Flight[] = [];
  /** Flights whose requests have ended, ready for the next (last in, first out: warm in cache). */
  private readonly free: Flight[] = [];

  readonly decodeWhole: BodyDecoder;
  /** Embeddings and rerank answers count no output tokens. */
  private readonly generates: boolean;
  /**
   * The server has sent usage: replies need no tokenizer count, so their text is no longer kept
   * for it (keeping text turns off the stream decoder's fast path). A later reply without usage
   * is then counted per content event.
   */
  private serverCounts = false;

  constructor(readonly target: SendTarget) {
    const api = target.api;
    this.generates = api !== 'embeddings' && api !== 'rerank';
    this.decodeWhole = this.generates ? decodeOpenAiResponse : (body) => decodePoolingResponse(api as PoolingApi, body);
  }

  send(job: SendJob, done: (outcome: SendOutcome) => void): void {
    const t = this.target;
    const collectText = t.collectText || job.turn > 0 || (t.countTokens !== null && !this.serverCounts);
    let flight = this.free.pop();
    if (flight === undefined) this.flights.push((flight = new Flight(this, collectText)));
    else flight.exchange.reuse(collectText);
    flight.start(job, done, t.timeoutMs);
    // A request id per request: servers (vLLM among them) log it, so their logs join requests.jsonl.
    flight.headers[flight.headers.length - 1] = `${t.runId}-${job.step}-${job.index}`;
    flight.options.body = job.body;
    t.pool.dispatch(flight.options, flight.exchange);
  }

  /** A flight's request ended: record it, free the flight, then tell the load model. */
  finish(flight: Flight, o: ExchangeOutcome): void {
    const job = flight.job!;
    const done = flight.done!;
    if (o.errorMessage !== null && this.target.secrets.length > 0) o.errorMessage = redact(o.errorMessage, this.target.secrets);
    if (o.usage !== null) this.serverCounts = true;
    const record = toRecord(job, o, this.target, this.generates);
    // A request that never reached a socket never counted as in flight.
    job.recorder.addRecord(record, !Number.isNaN(o.sentAt), o.gaps, o.gapCount);
    const outcome: SendOutcome = { ok: record.errorClass === null, text: job.turn > 0 ? (o.reply?.text ?? null) : null, outputTokens: record.outputTokens };
    // Ended before undici had it (a deadline while waiting for a socket): undici still holds the
    // exchange and will call it once more, so this flight is not reused. Nor is one that holds
    // large buffers (a very long reply or line).
    const reusable = flight.exchange.reusable && flight.exchange.heldBytes <= KEEP_BYTES;
    flight.idle(!reusable);
    if (!reusable) this.flights.splice(this.flights.indexOf(flight), 1);
    done(outcome);
    // Freed only once `done` has returned: should anything it runs throw, undici hands the error
    // to this exchange's onResponseError (its onComplete catches), and a flight already reused
    // for the next request would take that error, and then that request's bytes, as its own.
    if (reusable) this.free.push(flight);
  }

  /** Requests in flight now. */
  get inFlight(): number {
    let n = 0;
    for (const f of this.flights) if (f.job !== null) n++;
    return n;
  }

  /** A hard stop: every request in flight ends now, as `reason`. */
  abortAll(reason: RequestAbortedError): void {
    // A copy: an ending request may free or drop its flight as this goes.
    for (const f of this.flights.slice()) if (f.job !== null) f.exchange.fail(reason);
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
