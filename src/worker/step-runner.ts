import { RequestAbortedError } from '../client/errors.js';
import type { StepCommand } from '../engine/protocol.js';
import { WorkerArrivals } from '../load/arrivals.js';
import { IntervalRecorder, type InFlightGauge } from '../metrics/recorder.js';
import type { Slo } from '../metrics/derive.js';
import type { Sender, SendOutcome } from './sender.js';

/** What request `index` sends; multi-turn requests say which conversation and turn they are. */
export interface RequestSpec {
  body: string;
  inputTokens: number;
  /** NaN and 0 outside multi-turn runs. */
  conversation: number;
  turn: number;
  /** max_tokens the body asks for; NaN when it sets none (or the endpoint generates nothing). */
  maxTokens: number;
}

export interface StepContext {
  worker: number;
  sender: Sender;
  tickets: Int32Array;
  gauge: InFlightGauge;
  slo: Slo | null;
  /** Request `index`, sent by closed-loop user `user` (-1 in an open loop). */
  makeRequest(index: number, user: number): RequestSpec;
  /** Multi-turn: closed-loop user `user`'s request ended; returns ms to think before its next one. */
  afterReply?(user: number, outcome: SendOutcome): number;
}

/**
 * Runs one step of load in this worker: a closed loop of `slots` users, or an open-loop arrival
 * schedule with an optional in-flight cap. Owns the step's IntervalRecorder; the caller drains it
 * on its interval timer. Resolves when nothing is in flight and nothing more will be sent.
 */
export class StepRunner {
  readonly recorder: IntervalRecorder;
  private stopping = false;
  private inFlight = 0;
  private resolveDone!: () => void;
  readonly done: Promise<void>;
  private openTimer: NodeJS.Timeout | undefined;
  private queue: { index: number; scheduledAt: number }[] = [];
  private queueHead = 0;
  private arrivals: WorkerArrivals | null = null;
  private nextArrival: { index: number; atMs: number } | null = null;
  /**
   * Users thinking between turns, by user, and their timers: each counts as in flight until it
   * fires. An array, not a Map, whose churn would keep old timers alive (see Sender.flights).
   */
  private readonly thinking: (NodeJS.Timeout | undefined)[] = [];

  constructor(
    private readonly cmd: StepCommand,
    private readonly ctx: StepContext,
  ) {
    this.recorder = new IntervalRecorder(ctx.slo, cmd.startAt, cmd.mode === 'open', ctx.gauge);
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  start(): void {
    const { cmd } = this;
    if (cmd.mode === 'closed') {
      for (let user = 0; user < cmd.slots; user++) this.nextClosed(user, performance.now());
    } else if (cmd.rate !== null && cmd.arrival !== null) {
      this.arrivals = new WorkerArrivals(cmd.rate, cmd.arrival, cmd.arrivalSeed, cmd.arrivalShare);
      this.nextArrival = this.arrivals.next();
      this.pumpOpen();
    }
    this.checkDone();
  }

  /** Graceful: send nothing more, let in-flight requests finish. Abort: end them now. */
  stop(abort: boolean): void {
    this.stopping = true;
    clearTimeout(this.openTimer);
    this.dropQueue();
    for (const t of this.thinking) {
      if (t === undefined) continue;
      clearTimeout(t);
      this.inFlight--;
    }
    this.thinking.length = 0;
    if (abort) this.ctx.sender.abortAll(new RequestAbortedError('aborted by a second stop signal'));
    this.checkDone();
  }

  private timeUp(now: number): boolean {
    return this.cmd.durationMs !== null && now - this.cmd.startAt >= this.cmd.durationMs;
  }

  private takeTicket(): number {
    const index = Atomics.add(this.ctx.tickets, this.cmd.ticketSlot, 1);
    return this.cmd.number !== null && index >= this.cmd.number ? -1 : index;
  }

  /**
   * Closed loop: the request is meant to go the moment its user's slot frees (`scheduledAt`: now,
   * or the end of the user's think time between turns).
   */
  private nextClosed(user: number, scheduledAt: number): void {
    if (this.stopping || this.timeUp(performance.now())) return;
    const index = this.takeTicket();
    if (index < 0) return;
    this.send(index, scheduledAt, user, (out) => {
      const think = this.ctx.afterReply?.(user, out) ?? 0;
      if (think > 0) this.think(user, think);
      else this.nextClosed(user, performance.now());
    });
  }

  /**
   * A user reads the reply before its next turn. No wait when the step would end first (its
   * duration is over by then, or its requests are all taken): the user has nothing left to send.
   */
  private think(user: number, ms: number): void {
    const due = performance.now() + ms;
    if (this.stopping || this.timeUp(due) || !this.ticketsLeft()) return;
    this.inFlight++;
    const arm = (wait: number): void => {
      const timer = setTimeout(() => {
        // Timers may fire a little early: the turn is not sent before its time (queue delay >= 0).
        const early = due - performance.now();
        if (early > 0) return arm(early);
        this.thinking[user] = undefined;
        this.inFlight--;
        this.nextClosed(user, due);
        this.checkDone();
      }, wait);
      this.thinking[user] = timer;
    };
    arm(ms);
  }

  private send(index: number, scheduledAt: number, user: number, after: (out: SendOutcome) => void): void {
    const r = this.ctx.makeRequest(index, user);
    this.inFlight++;
    this.ctx.sender.send(
      { step: this.cmd.step, index, worker: this.ctx.worker, scheduledAt, body: r.body, inputTokensEstimate: r.inputTokens, recorder: this.recorder, conversation: r.conversation, turn: r.turn, maxTokens: r.maxTokens },
      (out) => {
        this.inFlight--;
        after(out);
        this.checkDone();
      },
    );
  }

  /** Sends every arrival that is due, then sleeps until the next one. Times are absolute. */
  private pumpOpen(): void {
    const { cmd } = this;
    const cap = cmd.slots;
    const now = performance.now();
    while (!this.stopping && this.nextArrival !== null) {
      const a = this.nextArrival;
      if ((cmd.number !== null && a.index >= cmd.number) || (cmd.durationMs !== null && a.atMs >= cmd.durationMs)) {
        this.nextArrival = null;
        break;
      }
      const at = cmd.startAt + a.atMs;
      if (at > now) {
        this.openTimer = setTimeout(() => this.pumpOpen(), at - now);
        return;
      }
      if (cap === 0 || this.inFlight < cap) this.send(a.index, at, -1, () => this.releaseQueued());
      else {
        // Over the cap: the arrival waits here, and the wait is measured as queue delay.
        this.queue.push({ index: a.index, scheduledAt: at });
        this.recorder.onQueued(1);
      }
      this.nextArrival = this.arrivals!.next();
    }
    this.checkDone();
  }

  private releaseQueued(): void {
    if (this.stopping || this.queueHead >= this.queue.length) return;
    const q = this.queue[this.queueHead++]!;
    this.recorder.onQueued(-1);
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    this.send(q.index, q.scheduledAt, -1, () => this.releaseQueued());
  }

  private dropQueue(): void {
    this.recorder.onQueued(-(this.queue.length - this.queueHead));
    this.queue = [];
    this.queueHead = 0;
  }

  private checkDone(): void {
    if (this.inFlight > 0) return;
    // A closed loop has nothing more once nothing is in flight: every user is sending, thinking
    // (counted in flight) or done. An open loop may still have arrivals to come.
    const moreOpen = this.cmd.mode === 'open' && !this.stopping && (this.nextArrival !== null || this.queueHead < this.queue.length);
    if (!moreOpen) {
      clearTimeout(this.openTimer);
      this.resolveDone();
    }
  }

  private ticketsLeft(): boolean {
    return this.cmd.slots > 0 && (this.cmd.number === null || Atomics.load(this.ctx.tickets, this.cmd.ticketSlot) < this.cmd.number);
  }
}
