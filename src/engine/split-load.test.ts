import { describe, expect, it } from 'vitest';
import type { StepPlan } from '../config/run-plan.js';
import { stepCommands, workerConnections } from './split-load.js';

const closed = (parallel: number): StepPlan => ({ mode: 'closed', parallel, rate: null, arrival: null, number: 100, durationMs: null });
const open = (rate: number, parallel: number | null): StepPlan => ({ mode: 'open', parallel, rate, arrival: { kind: 'poisson' }, number: 100, durationMs: null });

describe('stepCommands', () => {
  it('closed loop: users split with the remainder', () => {
    expect(stepCommands(closed(10), 0, 4, true, 0, 1).map((c) => c.slots)).toEqual([3, 3, 2, 2]);
  });
  it('open loop without a cap: every worker takes every W-th arrival of one schedule at the full rate', () => {
    const cmds = stepCommands(open(100, null), 0, 3, true, 0, 7);
    expect(cmds.map((c) => [c.slots, c.rate, c.arrivalWorker, c.arrivalWorkers, c.arrivalSeed])).toEqual([
      [0, 100, 0, 3, 7],
      [0, 100, 1, 3, 7],
      [0, 100, 2, 3, 7],
    ]);
  });
  it('open loop with a cap smaller than the workers: only workers with a share of the cap get arrivals', () => {
    const cmds = stepCommands(open(50, 2), 0, 3, true, 0, 1);
    expect(cmds.map((c) => [c.slots, c.rate, c.arrivalWorker, c.arrivalWorkers])).toEqual([
      [1, 50, 0, 2],
      [1, 50, 1, 2],
      [0, null, 0, 2],
    ]);
  });
});

describe('workerConnections', () => {
  it('is the largest share over the steps of a sweep', () => {
    expect(workerConnections([closed(1), closed(5), closed(3)], 2)).toEqual([3, 2]);
  });
  it('is unbounded when any step is an uncapped open loop', () => {
    expect(workerConnections([closed(4), open(10, null)], 2)).toEqual([null, null]);
  });
});
