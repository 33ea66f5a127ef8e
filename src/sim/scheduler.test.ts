import { describe, expect, it } from 'vitest';
import { SimScheduler, type SchedulerConfig, type SequenceEvents, type SimClock, type SimSequence } from './scheduler.js';

interface FakeTimer {
  id: number;
  due: number;
  fn: () => void;
}

/** Manual clock: timers fire only when the test advances time. */
class FakeClock implements SimClock {
  t = 0;
  private timers: FakeTimer[] = [];
  private ids = 0;
  now(): number {
    return this.t;
  }
  setTimer(fn: () => void, ms: number): unknown {
    const timer = { id: ++this.ids, due: this.t + ms, fn };
    this.timers.push(timer);
    return timer.id;
  }
  clearTimer(h: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== h);
  }
  get pending(): number[] {
    return this.timers.map((x) => x.due);
  }
  /** Fire the earliest timer `late` ms after its due time. */
  fireNext(late = 0): void {
    this.timers.sort((a, b) => a.due - b.due || a.id - b.id);
    const timer = this.timers.shift();
    if (!timer) throw new Error('no timer pending');
    this.t = Math.max(this.t, timer.due + late);
    timer.fn();
  }
  /** Fire timers due up to `to`, each at its due time, then set the clock to `to`. */
  advanceTo(to: number): void {
    for (;;) {
      this.timers.sort((a, b) => a.due - b.due || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.due > to) break;
      this.fireNext();
    }
    this.t = Math.max(this.t, to);
  }
  runAll(limit = 100_000): void {
    for (let i = 0; this.timers.length > 0; i++) {
      if (i > limit) throw new Error('timers never settle');
      this.fireNext();
    }
  }
}

const BASE: SchedulerConfig = {
  prefillMsPerToken: 0.5,
  itlMs: 10,
  itlMsPerSeq: 1,
  maxNumSeqs: 256,
  defaultMaxTokens: 128,
  jitter: 0,
  seed: 1,
};

interface Trace {
  admitAt?: number;
  tokens: number[];
  finishAt?: number;
  events: SequenceEvents;
  seq?: SimSequence;
}

function trace(clock: FakeClock, log?: string[], name?: string): Trace {
  const tr: Trace = {
    tokens: [],
    events: {
      onAdmit: () => {
        tr.admitAt = clock.now();
        if (log && name) log.push(`admit ${name}`);
      },
      onToken: () => {
        tr.tokens.push(clock.now());
      },
      onFinish: () => {
        tr.finishAt = clock.now();
        if (log && name) log.push(`finish ${name}`);
      },
    },
  };
  return tr;
}

function setup(cfg: Partial<SchedulerConfig> = {}): { clock: FakeClock; s: SimScheduler } {
  const clock = new FakeClock();
  return { clock, s: new SimScheduler({ ...BASE, ...cfg }, clock) };
}

function submit(s: SimScheduler, clock: FakeClock, prompt: number, out: number, log?: string[], name?: string): Trace {
  const tr = trace(clock, log, name);
  tr.seq = s.submit(prompt, out, tr.events);
  return tr;
}

describe('SimScheduler timing', () => {
  it('one sequence: first token at itl+perSeq+prefill*prompt, then every itl+perSeq', () => {
    const { clock, s } = setup();
    const a = submit(s, clock, 20, 5);
    expect(s.waiting).toBe(1);
    clock.advanceTo(0); // admission runs on the next tick, at the arrival instant
    expect(a.admitAt).toBe(0);
    expect(s.running).toBe(1);
    clock.runAll();
    expect(a.tokens).toEqual([21, 32, 43, 54, 65]);
    expect(a.finishAt).toBe(65);
    expect(s.running).toBe(0);
    expect(s.served).toBe(1);
    expect(clock.pending).toEqual([]); // idle: the loop stopped
  });

  it('step duration grows linearly with running sequences; prefill only in the admitting step', () => {
    for (const n of [1, 2, 4, 8]) {
      const { clock, s } = setup({ prefillMsPerToken: 0 });
      const traces = Array.from({ length: n }, () => submit(s, clock, 0, 3));
      clock.runAll();
      const step = 10 + 1 * n;
      for (const tr of traces) expect(tr.tokens).toEqual([step, 2 * step, 3 * step]);
    }
    const { clock, s } = setup();
    const a = submit(s, clock, 10, 3);
    const b = submit(s, clock, 10, 3);
    clock.runAll();
    // admitting step: 10 + 2*1 + 0.5*20 = 22; then 12 per step
    expect(a.tokens).toEqual([22, 34, 46]);
    expect(b.tokens).toEqual([22, 34, 46]);
  });

  it('an arrival during a step waits for the next step boundary and adds its prefill there', () => {
    const { clock, s } = setup();
    const a = submit(s, clock, 0, 4); // steps of 11
    clock.advanceTo(5);
    const b = submit(s, clock, 10, 2);
    expect(b.admitAt).toBeUndefined();
    expect(s.waiting).toBe(1);
    clock.runAll();
    expect(b.admitAt).toBe(11);
    // step 2: 10 + 2*1 + 0.5*10 = 17 -> ends 28; step 3: 12 -> 40
    expect(a.tokens).toEqual([11, 28, 40, 51]);
    expect(b.tokens).toEqual([28, 40]);
  });

  it('maxNumSeqs=2 with 3 arrivals queues the third (FIFO) until one finishes', () => {
    const { clock, s } = setup({ maxNumSeqs: 2, prefillMsPerToken: 0 });
    const log: string[] = [];
    const a = submit(s, clock, 0, 2, log, 'a');
    const b = submit(s, clock, 0, 3, log, 'b');
    const c = submit(s, clock, 0, 1, log, 'c');
    clock.advanceTo(0);
    expect(s.running).toBe(2);
    expect(s.waiting).toBe(1);
    clock.advanceTo(20);
    expect(s.waiting).toBe(1); // still queued after step 1
    clock.runAll();
    // steps of 12 with 2 running: a finishes at 24, c is admitted at 24 and emits at 36 (done),
    // b emits at 12, 24, 36.
    expect(a.tokens).toEqual([12, 24]);
    expect(b.tokens).toEqual([12, 24, 36]);
    expect(c.admitAt).toBe(24);
    expect(c.tokens).toEqual([36]);
    expect(log).toEqual(['admit a', 'admit b', 'finish a', 'admit c', 'finish b', 'finish c']);
  });

  it('FIFO admission from the waiting queue', () => {
    const { clock, s } = setup({ maxNumSeqs: 1, prefillMsPerToken: 0 });
    const log: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) submit(s, clock, 0, 1, log, name);
    clock.advanceTo(0);
    expect(s.waiting).toBe(3);
    clock.runAll();
    expect(log.filter((l) => l.startsWith('admit'))).toEqual(['admit a', 'admit b', 'admit c', 'admit d']);
    expect(s.served).toBe(4);
  });

  it('a late timer does not shift later steps (absolute schedule)', () => {
    const { clock, s } = setup({ prefillMsPerToken: 0 });
    const a = submit(s, clock, 0, 6); // planned ends 11, 22, 33, 44, 55, 66
    clock.fireNext(3); // the admission tick runs 3 ms late: the step still starts at the arrival
    expect(a.admitAt).toBe(3);
    expect(clock.pending).toEqual([11]);
    clock.fireNext(5); // fires at 16
    expect(a.tokens).toEqual([16]);
    expect(clock.pending).toEqual([22]);
    clock.fireNext(0);
    expect(a.tokens).toEqual([16, 22]);
    clock.fireNext(19); // due 33, fires at 52: steps ending 33 and 44 are caught up now
    expect(a.tokens).toEqual([16, 22, 52, 52]);
    expect(clock.pending).toEqual([55]);
    clock.runAll();
    expect(a.tokens).toEqual([16, 22, 52, 52, 55, 66]);
  });

  it('an early timer is re-armed, not taken as the step end', () => {
    const { clock, s } = setup({ prefillMsPerToken: 0, earlyToleranceMs: 0.5 });
    const a = submit(s, clock, 0, 2);
    clock.advanceTo(0);
    clock.t = 9; // pretend the timer fires 2 ms early
    clock.fireNext(-100);
    expect(a.tokens).toEqual([]);
    expect(clock.pending).toEqual([11]);
    clock.runAll();
    expect(a.tokens).toEqual([11, 22]);
  });

  it('zero-cost steps do not spin forever', () => {
    const { clock, s } = setup({ itlMs: 0, itlMsPerSeq: 0, prefillMsPerToken: 0 });
    const a = submit(s, clock, 5, 100);
    clock.runAll();
    expect(a.tokens.length).toBe(100);
    expect(s.served).toBe(1);
  });

  it('jitter scales steps within [1-j, 1+j) and is deterministic per seed', () => {
    const durations = (seed: number): number[] => {
      const { clock, s } = setup({ prefillMsPerToken: 0, itlMsPerSeq: 0, jitter: 0.2, seed });
      const a = submit(s, clock, 0, 50);
      clock.runAll();
      return a.tokens.map((t, i) => t - (i === 0 ? 0 : (a.tokens[i - 1] as number)));
    };
    const d1 = durations(7);
    for (const d of d1) {
      expect(d).toBeGreaterThanOrEqual(8);
      expect(d).toBeLessThan(12);
    }
    expect(new Set(d1.map((d) => d.toFixed(6))).size).toBeGreaterThan(10);
    expect(durations(7)).toEqual(d1);
    expect(durations(8)).not.toEqual(d1);
  });
});

describe('SimScheduler output length', () => {
  it('max_tokens, default and min_tokens..max_tokens', () => {
    const { s } = setup({ defaultMaxTokens: 64 });
    expect(s.outputLength(7)).toBe(7);
    expect(s.outputLength(7, 7)).toBe(7);
    expect(s.outputLength(undefined)).toBe(64);
    expect(s.outputLength(undefined, 100)).toBe(100);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const n = s.outputLength(20, 10);
      expect(n).toBeGreaterThanOrEqual(10);
      expect(n).toBeLessThanOrEqual(20);
      seen.add(n);
    }
    expect(seen.size).toBe(11); // both ends reached
    for (let i = 0; i < 200; i++) expect(s.outputLength(3, 0)).toBeGreaterThanOrEqual(1);
  });

  it('is deterministic for a seed', () => {
    const draw = (seed: number): number[] => {
      const { s } = setup({ seed });
      return Array.from({ length: 50 }, () => s.outputLength(500, 1));
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('a sequence emits exactly its output length', () => {
    const { clock, s } = setup();
    const a = submit(s, clock, 3, s.outputLength(17));
    clock.runAll();
    expect(a.tokens.length).toBe(17);
    expect(a.seq?.generated).toBe(17);
  });
});

describe('SimScheduler cancel', () => {
  it('a cancelled running sequence frees its slot for the next step', () => {
    const { clock, s } = setup({ maxNumSeqs: 1, prefillMsPerToken: 0 });
    const a = submit(s, clock, 0, 100);
    const b = submit(s, clock, 0, 2);
    clock.advanceTo(25); // a has 2 tokens; next step ends at 33
    expect(a.tokens).toEqual([11, 22]);
    expect(s.cancel(a.seq as SimSequence)).toBe(true);
    expect(s.running).toBe(0);
    expect(s.waiting).toBe(1);
    expect(s.cancel(a.seq as SimSequence)).toBe(false);
    clock.runAll();
    expect(a.tokens).toEqual([11, 22]); // nothing after cancel
    expect(a.finishAt).toBeUndefined();
    expect(b.admitAt).toBe(33);
    expect(b.tokens).toEqual([44, 55]);
    expect(s.served).toBe(1);
    expect(s.cancelled).toBe(1);
  });

  it('a cancelled waiting sequence is skipped', () => {
    const { clock, s } = setup({ maxNumSeqs: 1, prefillMsPerToken: 0 });
    const a = submit(s, clock, 0, 1);
    const b = submit(s, clock, 0, 1);
    const c = submit(s, clock, 0, 1);
    clock.advanceTo(0);
    s.cancel(b.seq as SimSequence);
    expect(s.waiting).toBe(1);
    clock.runAll();
    expect(a.tokens).toEqual([11]);
    expect(b.admitAt).toBeUndefined();
    expect(c.admitAt).toBe(11);
    expect(c.tokens).toEqual([22]);
  });

  it('cancelling inside a callback and submitting from onFinish are safe', () => {
    const { clock, s } = setup({ prefillMsPerToken: 0 });
    const b = submit(s, clock, 0, 10);
    const a = trace(clock);
    let resubmitted: Trace | undefined;
    a.events.onToken = () => {
      a.tokens.push(clock.now());
      s.cancel(b.seq as SimSequence);
    };
    a.events.onFinish = () => {
      resubmitted = submit(s, clock, 0, 1);
    };
    a.seq = s.submit(0, 1, a.events);
    clock.runAll();
    expect(b.tokens.length).toBe(1);
    expect(resubmitted?.tokens.length).toBe(1);
    expect(s.running).toBe(0);
    expect(clock.pending).toEqual([]);
  });

  it('stop() clears the timer', () => {
    const { clock, s } = setup();
    submit(s, clock, 0, 10);
    s.stop();
    expect(clock.pending).toEqual([]);
    expect(() => s.submit(0, 1, { onToken: () => {}, onFinish: () => {} })).toThrow(/stopped/);
  });
});
