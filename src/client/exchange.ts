import type { Dispatcher } from 'undici';
import { SseParser } from '../sse/parser.js';
import { decodeOpenAiEvent, decodeOpenAiResponse, type DecodedEvent, type DecodedResponse } from '../sse/openai-delta.js';
import { OpenAiStreamDecoder } from '../sse/openai-fast.js';
import { classifyError, classifyStatus, cleanMessage, describeError, errorBodyMessage } from './errors.js';
import { freshOutcome, resetOutcome, type ExchangeHooks, type ExchangeOutcome } from './exchange-outcome.js';

export type { ExchangeHooks, ExchangeOutcome } from './exchange-outcome.js';

const ERROR_BODY_CAP = 4096;

export type BodyDecoder = (body: string, collectText: boolean) => DecodedResponse;

/**
 * An undici dispatch handler for one OpenAI-compatible request. Timestamps are taken in
 * `onResponseData`, once per network chunk, before parsing: stream readers (`fetch`,
 * `for await`) merge buffered chunks and would smear per-token timing.
 *
 * Call order by undici: onRequestStart (the request is about to be written), onResponseStart,
 * onResponseData*, then onResponseEnd or onResponseError; and onResponseError after
 * onResponseEnd when onResponseEnd threw (undici's onComplete catches and reports it), which is
 * ignored here like any call after the end. `fail()` may be called by the owner at any time
 * (deadline, stop); it aborts through the controller, or as soon as the request reaches a socket.
 */
export class Exchange implements Dispatcher.DispatchHandler {
  private readonly o: ExchangeOutcome;
  private controller: Dispatcher.DispatchController | null = null;
  private pendingAbort: Error | null = null;
  private finished = false;
  /** undici has made its last call (onResponseEnd or onResponseError): the object may be reused. */
  private settled = false;
  /** A streamed request's SSE parser and decoder: one per exchange object, reset per response. */
  private readonly parser: SseParser | null;
  private readonly decoder: OpenAiStreamDecoder | null;
  /** The current response is an event stream (not an error body or a JSON answer). */
  private streaming = false;
  private errorBody: string | null = null;
  private bodyChunks: Buffer[] | null = null;
  private sawDone = false;
  private finishReason: string | undefined;
  private texts: string[] | null;
  private topLogprobs: Record<string, number>[] | null = null;
  private now = 0;

  constructor(
    stream: boolean,
    collectText: boolean,
    private readonly hooks: ExchangeHooks,
    gapBuffer: Float64Array,
    /** How a whole (non-streamed) body is read: a generation by default; embeddings and rerank differ. */
    private readonly decodeWhole: BodyDecoder = decodeOpenAiResponse,
  ) {
    this.texts = collectText ? [] : null;
    this.o = freshOutcome(gapBuffer);
    this.parser = stream ? new SseParser(this.onEvent, this.onEventBytes) : null;
    this.decoder = stream ? new OpenAiStreamDecoder(collectText) : null;
  }

  /**
   * True once the request has ended and undici will call nothing more: `reuse` may start the
   * next request on this object (the worker keeps one per concurrent request instead of
   * allocating an exchange, its outcome, parser and decoder for every request).
   */
  get reusable(): boolean {
    return this.finished && this.settled;
  }

  /** Bytes of buffers this exchange keeps for its next request (gap buffer, SSE carry-over, template). */
  get heldBytes(): number {
    return this.o.gaps.byteLength + (this.parser?.capacity ?? 0) + (this.decoder?.capacity ?? 0);
  }

  /** Starts a new request on this exchange; only when `reusable`. The outcome is reset in place. */
  reuse(collectText: boolean): void {
    if (!this.reusable) throw new Error('an exchange is reused only after undici has finished with it');
    resetOutcome(this.o);
    this.controller = null;
    this.pendingAbort = null;
    this.finished = false;
    this.settled = false;
    this.streaming = false;
    this.errorBody = null;
    this.bodyChunks = null;
    this.sawDone = false;
    this.finishReason = undefined;
    this.texts = collectText ? [] : null;
    this.topLogprobs = null;
    this.now = 0;
  }

  /**
   * Ends the exchange with `reason` (a RequestTimeoutError or RequestAbortedError). Before the
   * request has a socket there is nothing to abort yet (it waits for a connection): it ends now,
   * and is aborted as soon as undici hands it a socket.
   */
  fail(reason: Error): void {
    if (this.finished) return;
    if (this.controller) return this.controller.abort(reason);
    this.pendingAbort = reason;
    const o = this.o;
    o.endAt = performance.now();
    o.errorClass = classifyError(reason, false);
    o.errorMessage = describeError(reason);
    this.finish();
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.pendingAbort) {
      controller.abort(this.pendingAbort);
      return;
    }
    const now = performance.now();
    this.o.sentAt = now;
    this.hooks.onSent(now);
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined> = {}): void {
    const o = this.o;
    o.headersAt = performance.now();
    o.status = statusCode;
    // A JSON answer to a streamed request is an error object, or a server that ignored `stream`.
    const json = /application\/json/i.test(String(headers['content-type'] ?? ''));
    if (classifyStatus(statusCode) !== null) this.errorBody = '';
    else if (this.parser !== null && !json) {
      this.parser.reset();
      this.decoder!.reset(this.texts !== null);
      this.streaming = true;
    } else this.bodyChunks = [];
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.now = performance.now();
    if (this.streaming) this.parser!.push(chunk);
    else if (this.bodyChunks) this.bodyChunks.push(chunk);
    else if (this.errorBody !== null && this.errorBody.length < ERROR_BODY_CAP) {
      this.errorBody += chunk.toString('utf8', 0, Math.min(chunk.length, ERROR_BODY_CAP));
    }
  }

  private readonly onEvent = (data: string): void => this.onDecoded(decodeOpenAiEvent(data, this.texts !== null));
  // Single-line events (nearly all) are decoded from their bytes, without a string or JSON.parse.
  private readonly onEventBytes = (buf: Buffer, start: number, end: number): void => this.onDecoded(this.decoder!.decode(buf, start, end));

  private onDecoded(ev: DecodedEvent): void {
    const o = this.o;
    if (ev.kind === 'done') {
      this.sawDone = true;
      return;
    }
    if (ev.kind === 'malformed' || ev.kind === 'error') {
      if (o.errorClass === null) {
        o.errorClass = ev.kind === 'error' ? 'api_error' : 'protocol';
        o.errorMessage = cleanMessage(ev.errorMessage ?? ev.kind);
      }
      return;
    }
    if (ev.usage) o.usage = ev.usage;
    if (ev.timings) o.timings = ev.timings;
    if (ev.finishReason !== undefined && this.finishReason === undefined) this.finishReason = ev.finishReason;
    if (ev.textLength > 0) {
      const now = this.now;
      if (o.contentEvents === 0) o.firstTokenAt = now;
      else this.pushGap(now - o.lastTokenAt);
      o.lastTokenAt = now;
      o.contentEvents++;
      if (this.texts && ev.text !== undefined) {
        this.texts.push(ev.text);
        if (ev.text.length < ev.textLength) o.uncollected = true;
      }
      this.hooks.onContentEvent();
    }
  }

  private pushGap(ms: number): void {
    const o = this.o;
    if (o.gapCount === o.gaps.length) {
      const bigger = new Float64Array(o.gaps.length * 2);
      bigger.set(o.gaps);
      o.gaps = bigger;
    }
    o.gaps[o.gapCount++] = ms;
  }

  onResponseEnd(): void {
    this.settled = true;
    const o = this.o;
    o.endAt = performance.now();
    if (this.errorBody !== null) {
      o.errorClass = classifyStatus(o.status);
      o.errorMessage = errorBodyMessage(o.status, this.errorBody);
    } else if (this.streaming) {
      this.now = o.endAt;
      this.parser!.end();
      this.classifyStreamEnd();
    } else if (this.bodyChunks) {
      this.decodeBody();
    }
    this.finish();
  }

  private classifyStreamEnd(): void {
    const o = this.o;
    if (o.errorClass !== null) return;
    if (!this.sawDone && this.finishReason === undefined) {
      o.errorClass = 'protocol';
      o.errorMessage = 'stream ended before its finish chunk or [DONE]';
    } else if (o.contentEvents === 0) {
      o.errorClass = 'empty';
      o.errorMessage = 'the response carried no tokens';
    }
  }

  private decodeBody(): void {
    const o = this.o;
    const r = this.decodeWhole(Buffer.concat(this.bodyChunks!).toString('utf8'), this.texts !== null);
    if (r.usage) o.usage = r.usage;
    if (r.timings) o.timings = r.timings;
    if (r.finishReason !== undefined) this.finishReason = r.finishReason;
    if (r.topLogprobs) this.topLogprobs = r.topLogprobs;
    if (r.kind !== 'ok') {
      o.errorClass = r.kind === 'error' ? 'api_error' : 'protocol';
      o.errorMessage = cleanMessage(r.errorMessage ?? r.kind);
      return;
    }
    if (r.textLength === 0) {
      o.errorClass = 'empty';
      o.errorMessage = 'the response carried no tokens';
      return;
    }
    // Non-streamed: the whole text arrives with the body; there is no first-token time.
    o.contentEvents = 1;
    if (this.texts) {
      this.texts.push(r.text);
      if (r.text.length < r.textLength) this.o.uncollected = true;
    }
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    this.settled = true;
    if (this.finished) return; // already ended by fail() before it had a socket
    const o = this.o;
    o.endAt = performance.now();
    // A stream cut after [DONE] lost nothing: keep it a success.
    if (!(this.streaming && this.sawDone && o.errorClass === null)) {
      o.errorClass = classifyError(err, !Number.isNaN(o.sentAt));
      o.errorMessage = describeError(err);
    }
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.texts) this.o.reply = { text: this.texts.join(''), finishReason: this.finishReason ?? null, topLogprobs: this.topLogprobs };
    this.hooks.onDone(this.o);
  }
}
