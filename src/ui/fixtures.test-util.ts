import type { StepPlan } from '../config/run-plan.js';
import { StepAggregator } from '../engine/aggregator.js';
import { rec } from '../metrics/fixtures.test-util.js';
import { packRecords, type RequestRecord } from '../metrics/record.js';
import { IntervalRecorder } from '../metrics/recorder.js';
import { LiveRunState } from './live-state.js';

export const closedPlan: StepPlan = { mode: 'closed', parallel: 8, rate: null, arrival: null, number: 100, durationMs: null };
export const openPlan: StepPlan = { mode: 'open', parallel: 16, rate: 20, arrival: { kind: 'poisson' }, number: null, durationMs: 60_000 };

/**
 * A LiveRunState after `seconds` of a step in which every 250 ms interval finished two
 * requests with TTFT 50 ms and TPOT 10 ms (and `failures` failed ones at the end), fed through
 * the real recorder and aggregator.
 */
export function liveState(opts: { plan?: StepPlan; seconds?: number; failures?: RequestRecord[]; loopDelayMs?: number; slo?: boolean } = {}): LiveRunState {
  const plan = opts.plan ?? closedPlan;
  const state = new LiveRunState({ url: 'http://127.0.0.1:8000/v1', model: 'sim-llm', outDir: 'reports/20261126-120000-sim-llm', slo: opts.slo ?? false });
  state.onPhase({ kind: 'connecting', connections: 8 });
  state.onPhase({ kind: 'step', step: 0, of: 1, plan, startAt: 0 });
  const agg = new StepAggregator(0, 1, 0, 250);
  const intervals = (opts.seconds ?? 3) * 4;
  for (let k = 0; k < intervals; k++) {
    const t0 = k * 250;
    const r = new IntervalRecorder(opts.slo ? { ttft: 100 } : null, t0);
    const records: RequestRecord[] = [0, 1].map((i) =>
      rec({ index: 2 * k + i, scheduledAt: t0, sentAt: t0, firstTokenAt: t0 + 50, lastTokenAt: t0 + 150, endAt: t0 + 160, outputTokens: 11, contentEvents: 11 }),
    );
    if (k === intervals - 1) records.push(...(opts.failures ?? []));
    for (const q of records) {
      r.onSent(q.sentAt);
      for (let e = 0; e < q.contentEvents; e++) r.onContentEvent();
      r.addRecord(q, true, new Float64Array(0), 0);
    }
    const t = r.take(t0 + 250);
    const { packed, messages } = packRecords(t.records);
    const snapshot = { worker: 0, step: 0, interval: k, final: false, counters: t.counters, histograms: t.histograms, health: { loopDelayP99Ms: opts.loopDelayMs ?? 2, utilization: 0.25 }, records: packed, messages, replies: null };
    const out = agg.add(snapshot, t0 + 250);
    state.onRecords(out.records);
    for (const v of out.completed) state.onInterval(v, agg);
  }
  return state;
}
