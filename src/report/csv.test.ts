import { describe, expect, it } from 'vitest';
import { BASE_COLUMNS, renderCsv } from './csv.js';
import { savedStep, stats } from './fixtures.test-util.js';

const parse = (csv: string) => {
  const [head, ...rows] = csv.trimEnd().split('\n');
  const cols = head!.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
};

describe('CSV', () => {
  it('has one row per step and every summary metric as a flat column', () => {
    const csv = renderCsv([savedStep(1), savedStep(8, { slo: { ttft_ms: 500, good: 90, attainment: 0.9 }, throughput: { requests_per_s: 9.8, output_tokens_per_s: 1254.4, total_tokens_per_s: 2534.4, goodput_requests_per_s: 9 } })]);
    const head = csv.split('\n')[0]!.split(',');
    expect(head.slice(0, BASE_COLUMNS.length)).toEqual(BASE_COLUMNS);
    for (const c of ['latency_ttft_p99', 'latency_itl_p999', 'latency_queue_mean', 'throughput_output_tokens_per_s', 'requests_by_class_http_429', 'steady_state_requests_per_s', 'slo_attainment', 'client_client_bound']) expect(head).toContain(c);
    // Keys beyond the base set (here the client's CPU figures) are appended, not dropped.
    expect(head.slice(BASE_COLUMNS.length)).toEqual(['client_cpu_ms', 'client_cpu_us_per_request', 'client_cpu_us_per_event']);
    const [a, b] = parse(csv);
    expect(a).toMatchObject({ step: '0', load_mode: 'closed', load_parallel: '1', latency_ttft_p99: '123', latency_ttft_p50: '61.5', requests_by_class_http_5xx: '2', requests_by_class_timeout: '0', slo_attainment: '', throughput_goodput_requests_per_s: '', client_client_bound: 'false' });
    expect(b).toMatchObject({ step: '1', load_parallel: '8', slo_ttft_ms: '500', slo_attainment: '0.9', throughput_goodput_requests_per_s: '9' });
  });

  it('leaves a metric that was not recorded empty, and quotes and defuses text', () => {
    const csv = renderCsv([savedStep(2, { latency_ms: { ttft: stats(5), itl: null }, load: { mode: 'open', parallel: null, rate: 2, arrival: '=HYPERLINK("x"),y' } })]);
    const row = csv.split('\n')[1]!;
    expect(row).toContain(`"'=HYPERLINK(""x""),y"`);
    const [r] = parse(csv.replace(`"'=HYPERLINK(""x""),y"`, 'arrival'));
    expect(r).toMatchObject({ latency_itl_p50: '', latency_tpot_p50: '', latency_ttft_p50: '5' });
  });
});
