import type { LatencyStats } from '../metrics/histogram.js';
import { generatesNothing, type StepSummary } from '../metrics/summary.js';
import { describeLoad } from './charts.js';

/** The terminal summary of a run: plain text, no colour codes, fits 80 columns. */
const fmt = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? '-' : x.toFixed(digits));
const pad = (s: string, n: number) => s.padStart(n);

function latencyRow(name: string, s: LatencyStats | null | undefined): string {
  const cells = s ? [s.mean, s.p50, s.p90, s.p99, s.p999, s.max].map((x) => pad(fmt(x, x >= 1000 ? 0 : 1), 9)) : new Array(6).fill(pad('-', 9));
  return `  ${name.padEnd(14)}${cells.join('')}`;
}


export function renderStepTable(s: StepSummary, title: string): string {
  const lines: string[] = [];
  const r = s.requests;
  lines.push(`${title}: ${describeLoad(s.load)}`);
  const failed = Object.entries(r.by_class)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  lines.push(`  requests      ${r.succeeded} ok / ${r.total}${r.failed > 0 ? `  failed ${r.failed} (${failed})` : ''}   window ${fmt(s.window_s, 2)} s`);
  const t = s.throughput;
  const pooling = generatesNothing(s);
  if (pooling) lines.push(`  throughput    ${fmt(t.requests_per_s, 2)} req/s   ${fmt(t.total_tokens_per_s, 1)} input tok/s`);
  else lines.push(`  throughput    ${fmt(t.requests_per_s, 2)} req/s   ${fmt(t.output_tokens_per_s, 1)} out tok/s   ${fmt(t.total_tokens_per_s, 1)} total tok/s`);
  const ss = s.steady_state;
  if (ss) lines.push(`  steady state  ${fmt(ss.requests_per_s, 2)} req/s   ${pooling ? `${fmt(ss.total_tokens_per_s, 1)} input` : `${fmt(ss.output_tokens_per_s, 1)} out`} tok/s   over ${fmt(ss.window_s, 1)} s`);
  if (s.slo) lines.push(`  goodput       ${fmt(t.goodput_requests_per_s, 2)} req/s   SLO attainment ${fmt(s.slo.attainment * 100, 1)}%`);
  if (s.turns) lines.push(`  turns         ${s.turns.conversations} conversations, ${fmt(s.turns.turns_mean, 2)} turns each; prompt tokens turn 1 ${fmt(s.turns.input_tokens_first_turn_mean)}, later ${fmt(s.turns.input_tokens_later_turns_mean)}`);
  lines.push(`  concurrency   mean ${fmt(s.concurrency.mean, 1)}  max ${s.concurrency.max}   tokens in ${s.tokens.input_total} / out ${s.tokens.output_total} (${s.tokens.output_source})`);
  lines.push(`  latency (ms)  ${['mean', 'p50', 'p90', 'p99', 'p99.9', 'max'].map((h) => pad(h, 9)).join('')}`);
  const L = s.latency_ms;
  if (!pooling) {
    lines.push(latencyRow('TTFT', L.ttft));
    lines.push(latencyRow('TPOT', L.tpot));
    lines.push(latencyRow('ITL', L.itl));
  }
  lines.push(latencyRow('E2E', L.e2e));
  lines.push(latencyRow('queue', L.queue));
  if (s.load.mode === 'open') {
    lines.push(latencyRow('TTFT (sched)', L.ttft_from_schedule));
    lines.push(latencyRow('E2E (sched)', L.e2e_from_schedule));
  }
  if (s.turns) {
    lines.push(latencyRow('TTFT turn 1', L.ttft_first_turn));
    lines.push(latencyRow('TTFT turn 2+', L.ttft_later_turns));
  }
  if (L.server_prompt) {
    lines.push(latencyRow('server prefill', L.server_prompt));
    lines.push(latencyRow('TTFT - server', L.ttft_minus_server));
    lines.push(latencyRow('E2E - server', L.e2e_minus_server));
  }
  const c = s.client;
  lines.push(
    `  client        ${c.workers} worker${c.workers > 1 ? 's' : ''}, loop delay p99 ${fmt(c.loop_delay_p99_ms, 1)} ms, utilisation ${fmt(c.utilization_max * 100, 0)}%` +
      (c.client_bound ? '  CLIENT-BOUND: figures not trustworthy, add --workers or lower the load' : ''),
  );
  return lines.join('\n');
}

export function renderSummaryTables(steps: readonly StepSummary[]): string {
  const tables = steps.map((s, i) => renderStepTable(s, steps.length > 1 ? `step ${i + 1}/${steps.length}` : 'result')).join('\n\n');
  return steps.length > 1 ? `${tables}\n\n${renderSweepTable(steps)}` : tables;
}

/**
 * A sweep's steps side by side: where throughput stops growing while latency climbs is the
 * saturation knee. Latencies in ms.
 */
export function renderSweepTable(steps: readonly StepSummary[]): string {
  const head = ['load', 'req/s', 'out tok/s', 'goodput', 'TTFT p50', 'TTFT p99', 'TPOT p99', 'E2E p99', 'failed'];
  const rows = steps.map((s) => {
    const L = s.latency_ms;
    const load = s.load.mode === 'closed' ? `${s.load.parallel} parallel` : `${s.load.rate} req/s`;
    return [load, fmt(s.throughput.requests_per_s, 2), fmt(s.throughput.output_tokens_per_s, 0), fmt(s.throughput.goodput_requests_per_s, 2), fmt(L.ttft?.p50), fmt(L.ttft?.p99), fmt(L.tpot?.p99), fmt(L.e2e?.p99, 0), String(s.requests.failed)];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return ['sweep', line(head), ...rows.map(line)].join('\n');
}
