import type { Dispatcher, Pool } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestAbortedError } from '../client/errors.js';
import { IntervalRecorder } from '../metrics/recorder.js';
import { Sender, type SendJob, type SendOutcome } from './sender.js';

/**
 * The Sender reuses one exchange per concurrent request (a "flight"). A fake pool hands the
 * handlers to the test, which plays undici's calls; timers are faked for the --timeout.
 */
function setup(timeoutMs = 1000, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const dispatched: { options: Dispatcher.DispatchOptions; handler: Dispatcher.DispatchHandler; headers: string[] }[] = [];
  const pool = {
    dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
      // undici reads the headers when it builds its request: copy them as they are now.
      dispatched.push({ options, handler, headers: [...(options.headers as string[])] });
      return true;
    },
  } as unknown as Pool;
  const sender = new Sender({ pool, path: '/v1/chat/completions', headers, stream: true, timeoutMs, collectText: false, secrets: [], runId: 'run', api: 'chat', countTokens: null });
  const recorder = new IntervalRecorder(null, 0);
  const outcomes: SendOutcome[] = [];
  const job = (index: number): SendJob => ({ step: 0, index, worker: 0, scheduledAt: 0, body: `{"i":${index}}`, inputTokensEstimate: 1, recorder, conversation: NaN, turn: 0, maxTokens: NaN });
  const controller = { abort: vi.fn() } as unknown as Dispatcher.DispatchController;
  const respond = (h: Dispatcher.DispatchHandler, text: string) => {
    h.onRequestStart!(controller, {});
    h.onResponseStart!(controller, 200, {}, '');
    h.onResponseData!(controller, Buffer.from(`data: {"choices":[{"index":0,"delta":{"content":"${text}"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`));
    h.onResponseEnd!(controller, {});
  };
  return { sender, dispatched, outcomes, job, controller, respond, records: () => recorder.take(0).records, send: (i: number) => sender.send(job(i), (o) => outcomes.push(o)) };
}

describe('Sender', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('sends the next request on the same exchange once the last one ended, with its own id and body', () => {
    const s = setup();
    s.send(0);
    s.respond(s.dispatched[0]!.handler, 'a');
    s.send(1);
    expect(s.dispatched[1]!.handler).toBe(s.dispatched[0]!.handler);
    expect(s.dispatched[1]!.headers).toEqual(['content-type', 'application/json', 'x-request-id', 'run-0-1']);
    expect(s.dispatched[1]!.options.body).toBe('{"i":1}');
    s.respond(s.dispatched[1]!.handler, 'b');
    expect(s.records().map((r) => [r.index, r.contentEvents, r.errorClass])).toEqual([[0, 1, null], [1, 1, null]]);
  });

  it('a hard stop aborts every request in flight, and only those', () => {
    const s = setup();
    for (const i of [0, 1, 2]) s.send(i);
    s.respond(s.dispatched[1]!.handler, 'b');
    for (const i of [0, 2]) s.dispatched[i]!.handler.onRequestStart!(s.controller, {});
    s.sender.abortAll(new RequestAbortedError('aborted by a second stop signal'));
    // The fake controller records the abort; undici would answer with onResponseError.
    for (const i of [0, 2]) s.dispatched[i]!.handler.onResponseError!(s.controller, new RequestAbortedError('aborted by a second stop signal'));
    expect(s.records().map((r) => [r.index, r.errorClass]).sort()).toEqual([[0, 'aborted'], [1, null], [2, 'aborted']]);
    expect(s.sender.inFlight).toBe(0);
  });

  it('requests in flight together each have their own exchange', () => {
    const s = setup();
    s.send(0);
    s.send(1);
    expect(s.dispatched[1]!.handler).not.toBe(s.dispatched[0]!.handler);
    expect(s.sender.inFlight).toBe(2);
  });

  it('the deadline counts from each send: a reused exchange times out only a request that is late', async () => {
    const s = setup(1000);
    s.send(0);
    await vi.advanceTimersByTimeAsync(900);
    s.respond(s.dispatched[0]!.handler, 'a');
    s.send(1); // the same exchange, 900 ms after the first send
    await vi.advanceTimersByTimeAsync(500);
    expect(s.outcomes).toHaveLength(1); // not timed out at 1,000 ms from the first send
    await vi.advanceTimersByTimeAsync(600);
    expect(s.outcomes).toHaveLength(2);
    expect(s.records()[1]).toMatchObject({ index: 1, errorClass: 'timeout' });
  });

  it('an idle exchange never times out', async () => {
    const s = setup(1000);
    s.send(0);
    s.respond(s.dispatched[0]!.handler, 'a');
    await vi.advanceTimersByTimeAsync(5000);
    expect(s.outcomes.map((o) => o.ok)).toEqual([true]);
  });

  it('an exchange ended before undici had it (a deadline while waiting for a socket) is not reused', async () => {
    const s = setup(1000);
    s.send(0);
    await vi.advanceTimersByTimeAsync(1000); // timed out before onRequestStart
    expect(s.records()[0]).toMatchObject({ errorClass: 'timeout' });
    s.send(1);
    expect(s.dispatched[1]!.handler).not.toBe(s.dispatched[0]!.handler);
    // undici's late calls on the first exchange change nothing.
    s.dispatched[0]!.handler.onRequestStart!(s.controller, {});
    s.dispatched[0]!.handler.onResponseError!(s.controller, new Error('aborted'));
    expect(s.outcomes).toHaveLength(1);
  });

  it('an exception after the next send reaches the request that ended, not the next one on a reused exchange', () => {
    const s = setup();
    let calls = 0;
    const done = () => {
      // A closed loop sends its user's next request from inside done(); then something throws.
      if (++calls === 1) {
        s.sender.send(s.job(1), done);
        throw new Error('bug in the load model');
      }
    };
    s.sender.send(s.job(0), done);
    const first = s.dispatched[0]!.handler;
    first.onRequestStart!(s.controller, {});
    first.onResponseStart!(s.controller, 200, {}, '');
    first.onResponseData!(s.controller, Buffer.from('data: {"choices":[{"delta":{"content":"a"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n'));
    // undici's Request.onComplete: try { handler.onComplete() } catch (err) { this.onError(err) }
    try {
      first.onResponseEnd!(s.controller, {});
    } catch (err) {
      first.onResponseError!(s.controller, err as Error);
    }
    expect(s.dispatched[1]!.handler).not.toBe(first);
    s.respond(s.dispatched[1]!.handler, 'bb');
    expect(s.records().map((r) => [r.index, r.errorClass, r.contentEvents])).toEqual([[0, null, 1], [1, null, 1]]);
  });

  it('our x-request-id replaces one given with --header (two would reach the server joined)', () => {
    const s = setup(1000, { 'content-type': 'application/json', 'x-request-id': 'mine' });
    s.send(7);
    expect(s.dispatched[0]!.headers).toEqual(['content-type', 'application/json', 'x-request-id', 'run-0-7']);
  });

  it('an exchange that grew large buffers (a very long reply) is not kept for reuse', () => {
    const s = setup();
    s.send(0);
    const h = s.dispatched[0]!.handler;
    h.onRequestStart!(s.controller, {});
    h.onResponseStart!(s.controller, 200, {}, '');
    const token = 'data: {"choices":[{"delta":{"content":"a"},"finish_reason":null}]}\n\n';
    for (let i = 0; i < 5000; i++) h.onResponseData!(s.controller, Buffer.from(token));
    h.onResponseData!(s.controller, Buffer.from('data: [DONE]\n\n'));
    h.onResponseEnd!(s.controller, {});
    s.send(1);
    expect(s.dispatched[1]!.handler).not.toBe(h);
  });
});
