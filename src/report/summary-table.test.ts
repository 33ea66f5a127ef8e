import { describe, expect, it } from 'vitest';
import type { StepSummary } from '../metrics/summary.js';
import { renderStepTable, renderSummaryTables, renderSweepTable } from './summary-table.js';

const stats = (p50: number, p99: number) => ({ count: 10, mean: p50, stdev: 1, p50, p90: p99, p95: p99, p99, p999: p99, max: p99 });
function step(parallel: number, rps: number, ttftP99: number, failed = 0): StepSummary {
  return {
    load: { mode: 'closed', parallel, rate: null, arrival: null },
    window_s: 10,
    requests: { total: 100, succeeded: 100 - failed, failed, by_class: failed ? { http_5xx: failed } : {} },
    tokens: { input_total: 1000, output_total: 5000, output_source: 'usage' },
    throughput: { requests_per_s: rps, output_tokens_per_s: rps * 50, total_tokens_per_s: rps * 60, goodput_requests_per_s: null },
    steady_state: null,
    slo: null,
    concurrency: { mean: parallel, max: parallel },
    latency_ms: { ttft: stats(ttftP99 / 2, ttftP99), tpot: stats(10, 12), itl: stats(10, 15), e2e: stats(500, 900), queue: null },
    client: { workers: 1, loop_delay_p99_ms: 2, utilization_max: 0.1, client_bound: false, cpu_ms: 10, cpu_us_per_request: 100, cpu_us_per_event: 2 },
  };
}

describe('summary tables', () => {
  it('a step table names the load, throughput and percentiles', () => {
    const t = renderStepTable(step(8, 12.5, 80, 3), 'result');
    expect(t).toMatch(/^result: closed loop, 8 parallel/);
    expect(t).toMatch(/97 ok \/ 100 {2}failed 3 \(http_5xx 3\)/);
    expect(t).toMatch(/TTFT\s+40\.0\s+40\.0\s+80\.0\s+80\.0/);
  });
  it('a sweep ends with one row per load level', () => {
    const steps = [step(1, 2, 30), step(16, 20.5, 90), step(64, 21, 900, 4)];
    const sweep = renderSweepTable(steps);
    expect(sweep.split('\n')).toHaveLength(5);
    expect(sweep).toMatch(/load\s+req\/s\s+out tok\/s\s+goodput\s+TTFT p50\s+TTFT p99/);
    expect(sweep).toMatch(/64 parallel\s+21\.00\s+1050\s+-\s+450\.0\s+900\.0\s+12\.0\s+900\s+4/);
    expect(renderSummaryTables(steps)).toContain(sweep);
    expect(renderSummaryTables([step(1, 2, 30)])).not.toContain('sweep');
  });
});
