import type { ServerResponse } from 'node:http';
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
