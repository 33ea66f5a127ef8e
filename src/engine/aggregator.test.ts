import { describe, expect, it } from 'vitest';
import { emptyCounters, type Counters } from '../metrics/counters.js';
import { rec } from '../metrics/fixtures.test-util.js';
import { packRecords } from '../metrics/record.js';
import { IntervalRecorder, createHistogramSet, packHistogramSet } from '../metrics/recorder.js';
import { StepAggregator } from './aggregator.js';
import type { IntervalSnapshot } from './protocol.js';

function snap(worker: number, interval: number, over: Partial<Counters> = {}, final = false): IntervalSnapshot {
  const { packed, messages } = packRecords([]);
  return { worker, step: 0, interval, final, counters: { ...emptyCounters(), ...over }, histograms: packHistogramSet(createHistogramSet()), health: { loopDelayP99Ms: worker, utilization: 0.1 * worker }, records: packed, messages, replies: null };
}

describe('StepAggregator', () => {
  it('emits interval k once every worker reported it, in order, merged', () => {
    const agg = new StepAggregator(0, 2, 1000, 250);
    expect(agg.add(snap(0, 0, { completed: 1 }), 1250).completed).toEqual([]);
    expect(agg.add(snap(0, 1, { completed: 2 }), 1500).completed).toEqual([]);
    const out = agg.add(snap(1, 0, { completed: 3, inFlightNow: 4 }), 1260).completed;
    expect(out.map((v) => [v.interval, v.counters.completed, v.counters.inFlightNow, v.endMs])).toEqual([[0, 4, 4, 250]]);
    expect(out[0]!.health).toEqual({ loopDelayP99Ms: 1, utilization: 0.1 });
    const next = agg.add(snap(1, 1, { completed: 1 }), 1500).completed;
    expect(next.map((v) => [v.interval, v.counters.completed])).toEqual([[1, 3]]);
    expect(agg.counters.completed).toBe(7);
    expect(agg.tallies.map((t) => t.completed)).toEqual([4, 3]);
  });

  it('the step max of requests in flight is the largest run-wide reading any worker saw', () => {
    const agg = new StepAggregator(0, 2, 0, 250);
    agg.add(snap(0, 0, { inFlightMax: 3 }), 250);
    agg.add(snap(1, 0, { inFlightMax: 7 }), 250);
    agg.add(snap(0, 1, { inFlightMax: 5 }, true), 400);
    agg.add(snap(1, 1, { inFlightMax: 1 }, true), 400);
    agg.finish();
    expect(agg.counters.inFlightMax).toBe(7);
  });

  it('a worker that finished early neither holds back nor shortens later intervals; the last one ends when the last worker did', () => {
    const agg = new StepAggregator(0, 2, 1000, 250);
    agg.add(snap(1, 0, { completed: 1 }, true), 1100);
    const out = agg.add(snap(0, 0, { completed: 1 }), 1250).completed;
    expect(out.map((v) => [v.interval, v.endMs])).toEqual([[0, 250]]);
    expect(agg.add(snap(0, 1, { completed: 5 }), 1500).completed.map((v) => [v.interval, v.endMs])).toEqual([[1, 500]]);
    expect(agg.add(snap(0, 2, {}, true), 1600).completed.map((v) => [v.interval, v.endMs])).toEqual([[2, 600]]);
    expect(agg.finish()).toEqual([]);
  });

  it('merges histograms into the cumulative set and returns the records', () => {
    const agg = new StepAggregator(0, 1, 0, 250);
    const r = new IntervalRecorder(null, 0);
    r.onSent(101);
    r.addRecord(rec(), true, new Float64Array([10]), 1);
    const t = r.take(250);
    const { packed, messages } = packRecords(t.records);
    const out = agg.add({ worker: 0, step: 0, interval: 0, final: true, counters: t.counters, histograms: t.histograms, health: { loopDelayP99Ms: 0, utilization: 0 }, records: packed, messages, replies: null }, 250);
    expect(out.records).toEqual(t.records);
    expect(agg.cumulative.ttft.totalCount).toBe(1);
    expect(agg.cumulative.itl.totalCount).toBe(1);
    expect(out.completed[0]!.latency.ttft.p50).toBeCloseTo(50, 1);
  });
});
