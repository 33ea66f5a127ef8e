import { accuracyRows, type AccuracyRow } from './accuracy.js';
import { describeLoad, hdrChart, levelCharts, loadLabel, timeCharts, type ChartSpec } from './charts.js';
import type { ErrorDigest, RunData, SavedStep } from './saved-run.js';
import { coarsen } from './series.js';

/** Everything report.html shows, as plain data: built from a run folder, rendered by report-html.ts. */
export interface ReportModel {
  title: string;
  /** "What ran": label, value. */
  meta: [string, string][];
  clientVerdict: { bound: boolean | null; text: string };
  notes: string[];
  steps: { label: string; summary: SavedStep }[];
  hdr: ChartSpec[];
  sweep: ChartSpec[];
  time: ChartSpec[];
  seriesSource: 'intervals' | 'requests' | null;
  errors: ErrorDigest[];
  accuracy: AccuracyRow[];
}

/** Time-series points per page, over all steps: keeps a day-long run a page of a few MB. */
const MAX_SERIES_POINTS = 4000;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const text = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export const HDR_METRICS = [
  ['ttft', 'TTFT'],
  ['tpot', 'TPOT'],
  ['itl', 'ITL'],
  ['e2e', 'E2E'],
] as const;

function describeSteps(steps: readonly SavedStep[], plans: unknown[]): string {
  return steps
    .map((s, i) => {
      const p = obj(plans[i]);
      const bound = [p.number != null ? `${text(p.number)} requests` : '', p.durationMs != null ? `${Number(p.durationMs) / 1000} s` : ''].filter(Boolean).join(' or ');
      return `${describeLoad(s.load)}${bound ? ` (${bound})` : ''}`;
    })
    .join('; ');
}

function describeDataset(run: Obj): string {
  if (run.dataset !== undefined) return text(run.dataset);
  const req = obj(run.request);
  return req.input_tokens !== undefined ? `synthetic prompts of ${text(req.input_tokens)} tokens (seed ${text(run.seed ?? '-')})` : 'not recorded';
}

function describeRequest(run: Obj): string {
  const r = obj(run.request);
  if (Object.keys(r).length === 0) return 'not recorded';
  const parts = [`${text(r.api)} API`, `max_tokens ${text(r.maxTokens ?? r.max_tokens)}`, r.stream === false ? 'not streamed' : 'streamed'];
  if (r.temperature !== null && r.temperature !== undefined) parts.push(`temperature ${text(r.temperature)}`);
  if (r.extraBody) parts.push(`extra body ${text(r.extraBody)}`);
  return parts.join(', ');
}

function metaRows(d: RunData): [string, string][] {
  const run = obj(d.run);
  const s = d.summary;
  const host = obj(run.host);
  const target = { ...obj(run.target), ...obj(s.target) };
  const rows: [string, string][] = [
    ['Target', `${text(target.url)}${run.target && obj(run.target).simulated ? ' (the built-in simulator)' : ''}`],
    ['Model', text(target.model)],
    ['Load', describeSteps(s.steps, Array.isArray(run.load) ? run.load : [])],
    ['Dataset', describeDataset(run)],
    ['Request', describeRequest(run)],
  ];
  // --insecure must never go unnoticed in a shared report.
  if (typeof run.tls_verification === 'string') rows.push(['TLS verification', text(run.tls_verification)]);
  if (run.slo) rows.push(['SLO', text(run.slo)]);
  if (run.warmup) rows.push(['Warmup', `${text(run.warmup)} requests, not measured`]);
  rows.push(['Workers', text(run.workers ?? s.steps[0]?.client.workers ?? '-')]);
  rows.push(['Tool', `${text(s.tool?.name ?? 'evalperf')} ${text(s.tool?.version ?? '')}${run.node ? `, Node ${text(run.node)}` : ''}`]);
  if (Object.keys(host).length > 0) rows.push(['Host', `${text(host.name)} (${text(host.platform)}/${text(host.arch)}, ${text(host.cpus)} CPUs)`]);
  rows.push(['Started', text(s.started_at ?? run.started_at ?? 'unknown')]);
  rows.push(['Ended', text(s.ended_at ?? 'unknown') + (s.stopped && s.stopped !== 'no' ? ` (stopped: ${text(s.stopped)})` : '')]);
  const stop = s.slo_stop;
  if (stop) rows.push(['Sweep stopped', `after step ${stop.step + 1}: SLO attainment ${(stop.attainment * 100).toFixed(1)}% below the --stop-on-slo floor of ${(stop.floor * 100).toFixed(1)}%; ${stop.skipped} higher step${stop.skipped === 1 ? '' : 's'} not run`]);
  if (run.simulator) rows.push(['Simulator', text(run.simulator)]);
  return rows;
}

function clientVerdict(steps: readonly SavedStep[], labels: string[]): ReportModel['clientVerdict'] {
  const known = steps.filter((s) => s.client.client_bound !== null);
  if (known.length === 0) return { bound: null, text: 'unknown: client health is measured live and is not in requests.jsonl' };
  const bound = steps.map((s, i) => (s.client.client_bound ? labels[i] : null)).filter((x) => x !== null);
  const delay = Math.max(...known.map((s) => s.client.loop_delay_p99_ms ?? 0));
  const util = Math.max(...known.map((s) => s.client.utilization_max ?? 0));
  const health = `worst event-loop delay p99 ${delay.toFixed(1)} ms, utilisation ${(util * 100).toFixed(0)}%`;
  if (bound.length > 0) return { bound: true, text: `CLIENT-BOUND (${bound.join(', ')}): ${health}. These figures describe the client, not the server: add --workers or lower the load.` };
  return { bound: false, text: `not client-bound: ${health}` };
}

export function buildReportModel(d: RunData): ReportModel {
  const steps = d.summary.steps;
  const labels = steps.map((s, i) => (steps.length > 1 ? `step ${i + 1}: ${loadLabel(s.load)}` : loadLabel(s.load)));
  const hdr = HDR_METRICS.map(([m, name]) =>
    hdrChart(`${name} by percentile`, steps.map((_, i) => ({ label: labels[i]!, color: i, h: d.histograms?.[i]?.[m] }))),
  ).filter((c): c is ChartSpec => c !== null);
  const points = d.series.reduce((n, s) => n + s.t.length, 0);
  const factor = Math.ceil(points / MAX_SERIES_POINTS);
  const series = d.series.slice(0, steps.length).map((s, i) => ({ label: labels[i]!, color: i, s: coarsen(s, factor) }));
  const model = d.summary.target?.model ?? text(obj(obj(d.run).target).model);
  return {
    title: `evalperf report: ${model || 'unknown model'}, ${steps.length === 1 ? labels[0] : `${steps.length} steps`}`,
    meta: metaRows(d),
    clientVerdict: clientVerdict(steps, labels),
    notes: d.notes,
    steps: steps.map((summary, i) => ({ label: labels[i]!, summary })),
    hdr,
    sweep: levelCharts([{ label: '', color: 0, steps }]),
    time: timeCharts(series),
    seriesSource: d.series[0]?.source ?? null,
    errors: d.errors,
    accuracy: accuracyRows(d.accuracy),
  };
}
