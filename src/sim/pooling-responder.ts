import type { ServerResponse } from 'node:http';
import type { FaultKind } from './faults.js';
import { poolingBody, type PoolingRequest } from './pooling.js';
import type { RequestLog, RequestLogEntry } from './request-log.js';
import type { SimScheduler, SimSequence } from './scheduler.js';
import { SequenceResponse } from './sequence-response.js';

/**
 * Answers one pooling request (embeddings, rerank) when its sequence ends. The sequence is
 * submitted with outputTokens 1, so it lives exactly one step: admitted, prefilled with all its
 * prompt tokens, done. Latency is therefore the TTFT of a generation request of the same size,
 * and it queues and batches with generation traffic in the same scheduler.
 */
export class PoolingResponder extends SequenceResponse {
  /**
   * `fault`: a fault that acts after admission, treated as for a non-streamed generation request
   * so the client's classification of each kind (faults.ts EXPECTED_CLASS) holds here too:
   * reset-mid resets after the prefill, error-event answers 200 with an error object, malformed and
   * truncated cut the body in half, huge-chunk changes nothing (the body is one write anyway).
   */
  constructor(
    res: ServerResponse,
    private readonly req: PoolingRequest,
    private readonly model: string,
    scheduler: SimScheduler,
    private readonly fault: FaultKind | null = null,
    log: RequestLog | null = null,
    entry: RequestLogEntry | null = null,
  ) {
    super(res, scheduler, log, entry);
  }

  onToken(seq: SimSequence): void {
    if (this.gone() || this.fault !== 'reset-mid') return;
    this.end();
    this.scheduler.cancel(seq);
    this.res.destroy();
  }

  onFinish(): void {
    if (this.gone()) return;
    this.end();
    this.endJson(poolingBody(this.req, this.model), this.fault);
  }
}
