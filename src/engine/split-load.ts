import type { StepPlan } from '../config/run-plan.js';
import { splitCount } from '../load/split.js';
import type { StepCommand } from './protocol.js';

/**
 * How a step's load is split over W workers (pure). Closed loop: users split with the
 * remainder. Open loop: the workers that may send (all of them, or those given a share of the
 * cap) each take every n-th arrival of one global schedule.
 */
export function stepCommands(plan: StepPlan, step: number, workers: number, measured: boolean, startAt: number, seed: number): StepCommand[] {
  const base = { type: 'step' as const, step, measured, mode: plan.mode, rate: plan.rate, arrival: plan.arrival, number: plan.number, durationMs: plan.durationMs, startAt, arrivalSeed: seed };
  if (plan.mode === 'closed') {
    return splitCount(plan.parallel!, workers).map((slots) => ({ ...base, slots, arrivalWorker: 0, arrivalWorkers: 1 }));
  }
  const caps = plan.parallel === null ? new Array<number>(workers).fill(0) : splitCount(plan.parallel, workers);
  const active = plan.parallel === null ? workers : caps.filter((c) => c > 0).length;
  let nth = 0;
  return caps.map((cap) => {
    const sends = plan.parallel === null || cap > 0;
    // A worker with no share of the cap gets no arrivals: rate 0 is expressed as no arrivals.
    const cmd: StepCommand = { ...base, slots: cap, arrivalWorker: sends ? nth : 0, arrivalWorkers: active, rate: sends ? plan.rate : null };
    if (sends) nth++;
    return cmd;
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
