import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StepCommand } from '../engine/protocol.js';
import type { Sender, SendJob, SendOutcome } from './sender.js';
import { StepRunner } from './step-runner.js';

/**
 * The closed loop with think time between turns, on a fake clock and a fake sender whose
 * requests take 10 ms: when users wait, and that a stop or the step's end cuts the wait short.
 */
const REQUEST_MS = 10;

function setup(over: Partial<StepCommand>, thinkMs: number) {
  const sent: { index: number; user: number; at: number; scheduledAt: number }[] = [];
  const sender = {
    abortAll() {},
    send(job: SendJob, done: (o: SendOutcome) => void) {
      setTimeout(() => done({ ok: true, text: 'reply', outputTokens: 1 }), REQUEST_MS);
    },
  } as unknown as Sender;
  const tickets = new Int32Array(4);
  const cmd: StepCommand = { type: 'step', step: 0, ticketSlot: 0, conversationSlot: 1, measured: true, mode: 'closed', slots: 1, rate: null, arrival: null, arrivalShare: { workers: 1, worker: 0 } as never, arrivalSeed: 1, number: 100, durationMs: null, startAt: performance.now(), ...over };
  const runner = new StepRunner(cmd, {
    worker: 0,
    sender,
    tickets,
    gauge: { add: () => 0, read: () => 0 },
    slo: null,
    makeRequest: (index, user) => {
      sent.push({ index, user, at: performance.now() - cmd.startAt, scheduledAt: NaN });
      return { body: '{}', inputTokens: 1, conversation: 0, turn: 1, maxTokens: NaN };
    },
    afterReply: () => thinkMs,
  });
  let done = false;
  void runner.done.then(() => (done = true));
  return { runner, sent, isDone: () => done };
}

describe('StepRunner think time', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('a user waits its think time after each reply before the next turn', async () => {
    const { runner, sent, isDone } = setup({ number: 3 }, 100);
    runner.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent.map((s) => s.at)).toEqual([0, REQUEST_MS + 100, 2 * (REQUEST_MS + 100)]);
    expect(isDone()).toBe(true);
  });

  it('no wait once the step\'s requests are all taken: done when the last reply is in', async () => {
    const { runner, isDone } = setup({ number: 1 }, 5000);
    runner.start();
    await vi.advanceTimersByTimeAsync(REQUEST_MS);
    expect(isDone()).toBe(true);
  });

  it('no wait when the step\'s duration ends first', async () => {
    const { runner, sent, isDone } = setup({ number: null, durationMs: 50 }, 5000);
    runner.start();
    await vi.advanceTimersByTimeAsync(REQUEST_MS);
    expect(sent).toHaveLength(1);
    expect(isDone()).toBe(true);
  });

  it('a stop during the think time ends the step at once and sends nothing more', async () => {
    const { runner, sent, isDone } = setup({ number: 10 }, 5000);
    runner.start();
    await vi.advanceTimersByTimeAsync(REQUEST_MS + 100);
    expect(isDone()).toBe(false);
    runner.stop(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(isDone()).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent).toHaveLength(1);
  });
});
