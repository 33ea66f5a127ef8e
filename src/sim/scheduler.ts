import { performance } from 'node:perf_hooks';
import { createRng } from '../load/rng.js';

/** Time source and one-shot timer. Injected so tests can drive the scheduler with a fake clock. */
export interface SimClock {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const realClock: SimClock = {
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface SchedulerConfig {
  prefillMsPerToken: number;
  itlMs: number;
  itlMsPerSeq: number;
  maxNumSeqs: number;
  defaultMaxTokens: number;
  jitter: number;
  seed: number;
  /**
   * Node timers can fire up to ~1.5 ms early against performance.now(); a timer that fires more
   * than this many ms before the planned step end is re-armed. Default 0.5 (0 with a fake clock
   * is fine: fake timers fire exactly).
   */
  earlyToleranceMs?: number;
  /** Falling further behind than this (event loop blocked) rebases the schedule. Default 1000. */
  maxLagMs?: number;
}

/**
 * Callbacks of one sequence. Called synchronously from the step loop: keep them short and do not
 * throw (a throw cancels the sequence).
 */
export interface SequenceEvents {
  /** Admitted into the running batch; its prefill runs in the current step. */
  onAdmit?(seq: SimSequence): void;
  /** One token emitted at the end of a step; `seq.generated` counts it (1 = first token). */
  onToken(seq: SimSequence): void;
  /** Reached `seq.outputTokens`; called right after the last onToken. */
  onFinish(seq: SimSequence): void;
}

export const SeqState = { Waiting: 0, Running: 1, Finished: 2, Cancelled: 3 } as const;
export type SeqState = (typeof SeqState)[keyof typeof SeqState];

export class SimSequence {
  generated = 0;
  state: SeqState = SeqState.Waiting;
  constructor(
    readonly id: number,
    readonly promptTokens: number,
    readonly outputTokens: number,
    readonly events: SequenceEvents,
  ) {}
}

const MAX_CATCHUP_STEPS = 16;

/**
 * Continuous-batching step loop (vLLM-like). Each step admits waiting sequences FIFO up to
 * maxNumSeqs, lasts itl + perSeq * running + prefill * (prompt tokens admitted this step), and at
 * its end every running sequence emits one token (a newly admitted one its first). Steps sit on an
 * absolute timeline: the next starts at the previous step's planned end, so timer lateness does
 * not accumulate. The loop stops when idle and restarts at once on a new arrival.
 */
export class SimScheduler {
  private readonly clock: SimClock;
  private readonly cfg: Required<SchedulerConfig>;
  private readonly jitterRng: () => number;
  private readonly lengthRng: () => number;
  private waitQ: (SimSequence | undefined)[] = [];
  private waitHead = 0;
  private waitingCount = 0;
  private runningList: SimSequence[] = [];
  private runningCount = 0;
  private nextId = 1;
  private active = false;
  private stopped = false;
  private timer: unknown = undefined;
  private stepEnd = 0;
  private kickAt = 0;
  private servedCount = 0;
  private cancelledCount = 0;
  private stepCount = 0;

  constructor(cfg: SchedulerConfig, clock: SimClock = realClock) {
    this.cfg = { earlyToleranceMs: 0.5, maxLagMs: 1000, ...cfg };
    this.clock = clock;
    this.lengthRng = createRng(cfg.seed);
    this.jitterRng = createRng((cfg.seed ^ 0x9e3779b9) >>> 0);
  }

  get running(): number {
    return this.runningCount;
  }
  get waiting(): number {
    return this.waitingCount;
  }
  /** Sequences that emitted all their tokens. */
  get served(): number {
    return this.servedCount;
  }
  get cancelled(): number {
    return this.cancelledCount;
  }
  /** Steps started so far. */
  get steps(): number {
    return this.stepCount;
  }

  /**
   * Output length of a request: max_tokens; uniform in [max(1, min), max] when min_tokens < max;
   * with no max_tokens, max(defaultMaxTokens, min_tokens). Consumes the seeded length PRNG.
   */
  outputLength(maxTokens?: number, minTokens?: number): number {
    if (maxTokens === undefined) return Math.max(this.cfg.defaultMaxTokens, minTokens ?? 0);
    if (minTokens === undefined || minTokens >= maxTokens) return maxTokens;
    const lo = Math.max(1, minTokens);
    return lo + Math.floor(this.lengthRng() * (maxTokens - lo + 1));
  }

  /** Queue a sequence. It is admitted at the next step start (immediately if the loop is idle). */
  submit(promptTokens: number, outputTokens: number, events: SequenceEvents): SimSequence {
    if (this.stopped) throw new Error('simulator scheduler is stopped');
    if (!(outputTokens >= 1)) throw new RangeError('outputTokens must be >= 1');
    const seq = new SimSequence(this.nextId++, promptTokens, outputTokens, events);
    this.waitQ.push(seq);
    this.waitingCount++;
    if (!this.active) {
      // Idle: a step starts now. Admission runs on the next timer tick (same instant on the
      // schedule) so that arrivals of the same event-loop turn join one batch.
      this.active = true;
      this.kickAt = this.clock.now();
      this.timer = this.clock.setTimer(this.onKick, 0);
    }
    return seq;
  }

  /** Remove a waiting or running sequence; its slot is free for the next step. */
  cancel(seq: SimSequence): boolean {
    if (seq.state === SeqState.Waiting) this.waitingCount--;
    else if (seq.state === SeqState.Running) this.runningCount--;
    else return false;
    seq.state = SeqState.Cancelled;
    this.cancelledCount++;
    return true;
  }

  /** Stop the loop (no more callbacks). Sequences are left as they are. */
  stop(): void {
    this.stopped = true;
    this.active = false;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  private arm(now: number): void {
    this.timer = this.clock.setTimer(this.onTimer, Math.max(0, this.stepEnd - now));
  }

  private readonly onKick = (): void => {
    this.timer = undefined;
    if (this.stopped) return;
    const now = this.clock.now();
    if (this.beginStep(now - this.kickAt > this.cfg.maxLagMs ? now : this.kickAt)) this.arm(now);
  };

  private readonly onTimer = (): void => {
    this.timer = undefined;
    if (this.stopped) return;
    let now = this.clock.now();
    if (this.stepEnd - now > this.cfg.earlyToleranceMs) {
      this.arm(now);
      return;
    }
    for (let n = 1; ; n++) {
      this.finishStep();
      if (this.stopped) return;
      now = this.clock.now();
      const start = now - this.stepEnd > this.cfg.maxLagMs ? now : this.stepEnd;
      if (!this.beginStep(start)) return;
      if (this.stepEnd - this.clock.now() > this.cfg.earlyToleranceMs || n >= MAX_CATCHUP_STEPS) break;
    }
    this.arm(this.clock.now());
  };

  /** Admit and plan the step starting at `t`. Returns false (and goes idle) if nothing runs. */
  private beginStep(t: number): boolean {
    let prefillTokens = 0;
    while (this.runningCount < this.cfg.maxNumSeqs && this.waitingCount > 0) {
      const seq = this.waitQ[this.waitHead];
      this.waitQ[this.waitHead++] = undefined;
      if (seq === undefined || seq.state !== SeqState.Waiting) continue;
      this.waitingCount--;
      seq.state = SeqState.Running;
      this.runningList.push(seq);
      this.runningCount++;
      prefillTokens += seq.promptTokens;
      if (seq.events.onAdmit) this.call(seq, 0);
    }
    if (this.waitingCount === 0) {
      this.waitQ.length = 0; // only cancelled entries may remain
      this.waitHead = 0;
    } else if (this.waitHead > 1024 && this.waitHead * 2 > this.waitQ.length) {
      this.waitQ = this.waitQ.slice(this.waitHead);
      this.waitHead = 0;
    }
    if (this.runningCount === 0) {
      this.active = false;
      this.runningList.length = 0;
      return false;
    }
    const c = this.cfg;
    let d = c.itlMs + c.itlMsPerSeq * this.runningCount + c.prefillMsPerToken * prefillTokens;
    if (c.jitter > 0) d *= 1 + c.jitter * (this.jitterRng() * 2 - 1);
    this.stepEnd = t + Math.max(0, d);
    this.stepCount++;
    return true;
  }

  /** End of step: one token for every running sequence; finished ones leave the batch. */
  private finishStep(): void {
    const list = this.runningList;
    let w = 0;
    for (let i = 0; i < list.length; i++) {
      const seq = list[i] as SimSequence;
      if (seq.state !== SeqState.Running) continue;
      seq.generated++;
      this.call(seq, 1);
      if (seq.state !== SeqState.Running) continue;
      if (seq.generated >= seq.outputTokens) {
        seq.state = SeqState.Finished;
        this.runningCount--;
        this.servedCount++;
        this.call(seq, 2);
        continue;
      }
      list[w++] = seq;
    }
    list.length = w;
  }

  private call(seq: SimSequence, which: 0 | 1 | 2): void {
    try {
      if (which === 1) seq.events.onToken(seq);
      else if (which === 2) seq.events.onFinish(seq);
      else seq.events.onAdmit?.(seq);
    } catch (err) {
      this.cancel(seq);
      process.emitWarning(`simulator: sequence ${seq.id} callback threw: ${String(err)}`);
    }
  }
}
