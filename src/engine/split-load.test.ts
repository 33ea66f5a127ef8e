import { describe, expect, it } from 'vitest';
import type { StepPlan } from '../config/run-plan.js';
import { stepCommands, workerConnections } from './split-load.js';

const closed = (parallel: number): StepPlan => ({ mode: 'closed', parallel, rate: null, arrival: null, number: 100, durationMs: null });
const open = (rate: number, parallel: number | null): StepPlan => ({ mode: 'open', parallel, rate, arrival: { kind: 'poisson' }, number: 100, durationMs: null });

describe('stepCommands', () => {
  it('closed loop: users split with the remainder', () => {
    expect(stepCommands(closed(10), 0, 0, 1, 4, true, 0, 1).map((c) => c.slots)).toEqual([3, 3, 2, 2]);
  });
  it('open loop without a cap: every worker takes every W-th arrival of one schedule at the full rate', () => {
    const cmds = stepCommands(open(100, null), 0, 0, 1, 3, true, 0, 7);
    expect(cmds.map((c) => [c.slots, c.rate, c.arrivalShare, c.arrivalSeed])).toEqual([
      [0, 100, { modulo: 3, from: 0, to: 1 }, 7],
      [0, 100, { modulo: 3, from: 1, to: 2 }, 7],
      [0, 100, { modulo: 3, from: 2, to: 3 }, 7],
    ]);
  });
  it('open loop with a cap: arrivals in proportion to each worker\'s share of the cap', () => {
    const cmds = stepCommands(open(200, 3), 0, 0, 1, 2, true, 0, 1);
    expect(cmds.map((c) => [c.slots, c.rate, c.arrivalShare])).toEqual([
      [2, 200, { modulo: 3, from: 0, to: 2 }],
      [1, 200, { modulo: 3, from: 2, to: 3 }],
    ]);
  });
  it('open loop with a cap smaller than the workers: a worker without a share gets no arrivals', () => {
    const cmds = stepCommands(open(50, 2), 0, 0, 1, 3, true, 0, 1);
    expect(cmds.map((c) => [c.slots, c.rate])).toEqual([
      [1, 50],
      [1, 50],
      [0, null],
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
