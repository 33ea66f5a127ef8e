import type { StepPlan } from '../config/run-plan.js';
import { splitCount } from '../load/split.js';
import type { StepCommand } from './protocol.js';

/**
 * How a step's load is split over W workers (pure). Closed loop: users split with the
 * remainder. Open loop: one global arrival schedule; without a cap each worker takes every W-th
 * arrival, with a cap each takes arrivals in proportion to its share of the cap (a worker with no
 * share takes none), so no worker's queue grows while another has free slots.
 */
export function stepCommands(plan: StepPlan, step: number, ticketSlot: number, conversationSlot: number, workers: number, measured: boolean, startAt: number, seed: number): StepCommand[] {
  const base = { type: 'step' as const, step, ticketSlot, conversationSlot, measured, mode: plan.mode, arrival: plan.arrival, number: plan.number, durationMs: plan.durationMs, startAt, arrivalSeed: seed };
  if (plan.mode === 'closed') {
    return splitCount(plan.parallel!, workers).map((slots) => ({ ...base, slots, rate: null, arrivalShare: { modulo: 1, from: 0, to: 1 } }));
  }
  if (plan.parallel === null) {
    return Array.from({ length: workers }, (_, w) => ({ ...base, slots: 0, rate: plan.rate, arrivalShare: { modulo: workers, from: w, to: w + 1 } }));
  }
  const caps = splitCount(plan.parallel, workers);
  let from = 0;
  return caps.map((cap) => {
    const share = { modulo: plan.parallel!, from, to: from + Math.max(cap, 1) };
    from += cap;
    return { ...base, slots: cap, rate: cap > 0 ? plan.rate : null, arrivalShare: share };
  });
}

/** Connections each worker's pool may open: its largest share over all steps; null = unbounded. */
export function workerConnections(steps: readonly StepPlan[], workers: number): (number | null)[] {
  const out: (number | null)[] = new Array(workers).fill(1);
  for (const s of steps) {
    const shares = s.parallel === null ? new Array<number | null>(workers).fill(null) : splitCount(s.parallel, workers);
    shares.forEach((c, w) => {
      const cur = out[w] ?? null;
      out[w] = cur === null || c === null ? null : Math.max(cur, c);
    });
  }
  return out;
}

/**
 * Sockets each worker opens before `plan` runs: its share of the users or of the cap; for an
 * uncapped open loop, one second of its arrivals (more open on demand, outside TTFT).
 */
export function preconnectCounts(plan: StepPlan, workers: number): number[] {
  if (plan.parallel !== null) return splitCount(plan.parallel, workers);
  return new Array<number>(workers).fill(Math.min(4096, Math.ceil((plan.rate ?? 1) / workers)));
}
