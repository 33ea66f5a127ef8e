import { ERROR_CLASSES } from '../metrics/record.js';
import type { SavedStep } from './saved-run.js';

const STATS = ['count', 'mean', 'stdev', 'p50', 'p90', 'p95', 'p99', 'p999', 'max'];
const LATENCY = ['ttft', 'tpot', 'itl', 'e2e', 'queue', 'ttft_from_schedule', 'e2e_from_schedule', 'ttft_first_turn', 'ttft_later_turns', 'server_prompt', 'ttft_minus_server', 'e2e_minus_server'];

/**
 * Columns every CSV has, whether or not a step filled them (a step without an SLO still has
 * the slo_ columns, empty), so files of different runs line up in a spreadsheet. Keys a
 * summary has beyond these are appended after them.
 */
export const BASE_COLUMNS: readonly string[] = [
  'step',
  'load_mode',
  'load_parallel',
  'load_rate',
  'load_arrival',
  'window_s',
  'requests_total',
  'requests_succeeded',
  'requests_failed',
  ...ERROR_CLASSES.map((c) => `requests_by_class_${c}`),
  'tokens_input_total',
  'tokens_output_total',
  'tokens_output_source',
  'throughput_requests_per_s',
  'throughput_output_tokens_per_s',
  'throughput_total_tokens_per_s',
  'throughput_goodput_requests_per_s',
  'steady_state_window_s',
  'steady_state_requests_per_s',
  'steady_state_output_tokens_per_s',
  'steady_state_total_tokens_per_s',
  'slo_ttft_ms',
  'slo_tpot_ms',
  'slo_e2e_ms',
  'slo_good',
  'slo_attainment',
  'concurrency_mean',
  'concurrency_max',
  ...LATENCY.flatMap((m) => STATS.map((s) => `latency_${m}_${s}`)),
  'client_workers',
  'client_loop_delay_p99_ms',
  'client_utilization_max',
  'client_client_bound',
];

/** Nested keys joined with "_"; latency_ms becomes latency (all latencies are milliseconds). */
function flattenStep(step: SavedStep): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (v: unknown, name: string) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, name === '' ? k : `${name}_${k}`);
    } else out.set(name, v);
  };
  const { latency_ms, ...rest } = step;
  walk({ ...rest, latency: latency_ms }, '');
  return out;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  // A text cell starting with = + - @ is a formula to a spreadsheet: make it plain text.
  if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per step, every summary metric a column (`latency_ttft_p99`, ms), for spreadsheets. */
export function renderCsv(steps: readonly SavedStep[]): string {
  const rows = steps.map((s, i) => {
    const flat = flattenStep(s);
    flat.set('step', i);
    return flat;
  });
  const columns = [...BASE_COLUMNS];
  const known = new Set(columns);
  for (const r of rows) {
    for (const [k, v] of r) {
      // A null object (slo, steady_state) stands for columns that are already there.
      if (known.has(k) || (v === null && columns.some((c) => c.startsWith(`${k}_`)))) continue;
      known.add(k);
      columns.push(k);
    }
  }
  // by_class lists only the classes that occurred: the others are zero, not unknown.
  const value = (r: Map<string, unknown>, c: string) => r.get(c) ?? (c.startsWith('requests_by_class_') ? 0 : null);
  const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => cell(value(r, c))).join(','))];
  return lines.join('\n') + '\n';
}
