import type { ServerResponse } from 'node:http';
import type { FaultKind } from './faults.js';
import type { RequestLog, RequestLogEntry } from './request-log.js';
import type { SequenceEvents, SimScheduler, SimSequence } from './scheduler.js';

/**
 * What every simulator response to a scheduled sequence shares: it ends once, logs its request
 * line once, and a client that goes away first frees its slot (or its place in the queue).
 * Subclasses write the response itself (a generation stream or body, a pooling body).
 */
export abstract class SequenceResponse implements SequenceEvents {
  seq: SimSequence | undefined = undefined;
  private done = false;

  constructor(
    protected readonly res: ServerResponse,
    protected readonly scheduler: SimScheduler,
    private readonly log: RequestLog | null,
    /** This request's line of the request log, written when the response ends. */
    protected readonly entry: RequestLogEntry | null,
  ) {
    res.once('close', this.onClose);
  }

  abstract onToken(seq: SimSequence): void;
  abstract onFinish(seq: SimSequence): void;

  /** Client went away (or the server closed the socket) before the end: free the slot. */
  private readonly onClose = (): void => {
    if (this.done) return;
    this.end();
    if (this.seq) this.scheduler.cancel(this.seq);
  };

  /** The response is over (whichever way): log it once. */
  protected end(): void {
    this.done = true;
    if (this.entry) this.log!.write(this.entry);
  }

  /**
   * Sends a whole JSON body (a response that is not streamed), with the faults that act on one:
   * error-event answers 200 with an error object; malformed and truncated cut the body in half.
   */
  protected endJson(body: string, fault: FaultKind | null): void {
    // OpenAI's error shape here (error-200 sends vLLM's): clients meet both.
    if (fault === 'error-event') body = `{"error":{"message":"injected fault: error in a 200 response","type":"InternalServerError","code":500}}`;
    else if (fault === 'malformed' || fault === 'truncated') body = body.slice(0, body.length >> 1);
    this.res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    this.res.end(body);
  }

  /** True when the response already ended or the client is gone (which ends it). */
  protected gone(): boolean {
    if (this.done) return true;
    if (this.res.destroyed) {
      this.onClose();
      return true;
    }
    return false;
  }
}
