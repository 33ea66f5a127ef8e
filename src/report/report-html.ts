import type { LatencyStats } from '../metrics/histogram.js';
import { generatesNothing } from '../metrics/summary.js';
import { accuracySection } from './accuracy.js';
import type { ChartSpec } from './charts.js';
import { SERIES_NOTE } from './definitions.js';
import { escapeHtml as h } from './escape.js';
import { fmt, fmtPct, successRate } from './format.js';
import { chartGrid, definitionsSection, renderPage, type PageAssets } from './html-page.js';
import type { ReportModel } from './report-model.js';
import type { ErrorDigest, SavedStep } from './saved-run.js';

/** Latency rows of a step table: summary.json key, name shown. */
export const LATENCY_ROWS = [
  ['ttft', 'TTFT'],
  ['tpot', 'TPOT'],
  ['itl', 'ITL'],
  ['e2e', 'E2E'],
  ['queue', 'queue delay'],
  ['ttft_from_schedule', 'TTFT from schedule'],
  ['e2e_from_schedule', 'E2E from schedule'],
  ['ttft_first_turn', 'TTFT, first turns'],
  ['ttft_later_turns', 'TTFT, later turns'],
  ['server_prompt', 'server prefill (reported)'],
  ['ttft_minus_server', 'TTFT − server'],
  ['e2e_minus_server', 'E2E − server'],
] as const;

const STAT_COLUMNS: [keyof LatencyStats, string][] = [
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p95', 'p95'],
  ['p99', 'p99'],
  ['p999', 'p99.9'],
  ['max', 'max'],
  ['mean', 'mean'],
  ['count', 'count'],
];

const card = (k: string, v: string) => `<div class="card"><div class="v">${h(v)}</div><div class="k">${h(k)}</div></div>`;

function cards(s: SavedStep): string {
  const t = s.throughput;
  const L = s.latency_ms;
  // Embeddings and rerank generate nothing: input tokens/s, and no TTFT or TPOT to show.
  const pooling = generatesNothing(s);
  return `<div class="cards">${[
    card('requests/s', fmt(t.requests_per_s)),
    ...(pooling
      ? [card('input tokens/s', fmt(t.total_tokens_per_s))]
      : [card('output tokens/s', fmt(t.output_tokens_per_s)), card('total tokens/s', fmt(t.total_tokens_per_s))]),
    card(s.slo ? `goodput req/s (SLO attainment ${fmtPct(s.slo.attainment)})` : 'goodput (no --slo set)', fmt(t.goodput_requests_per_s)),
    card(`success rate (${s.requests.succeeded} of ${s.requests.total})`, fmtPct(successRate(s.requests))),
    card(`concurrency mean (max ${s.concurrency.max})`, fmt(s.concurrency.mean)),
    ...(pooling
      ? []
      : [card('TTFT p50 / p99 ms', `${fmt(L.ttft?.p50)} / ${fmt(L.ttft?.p99)}`), card('TPOT p50 / p99 ms', `${fmt(L.tpot?.p50)} / ${fmt(L.tpot?.p99)}`)]),
    card('E2E p50 / p99 ms', `${fmt(L.e2e?.p50)} / ${fmt(L.e2e?.p99)}`),
  ].join('')}</div>`;
}

function latencyTable(s: SavedStep): string {
  const head = `<tr><th>latency (ms)</th>${STAT_COLUMNS.map(([, n]) => `<th>${n}</th>`).join('')}</tr>`;
  const rows = LATENCY_ROWS.filter(([k]) => k in s.latency_ms)
    .map(([k, name]) => {
      const st = s.latency_ms[k];
      const cells = st ? STAT_COLUMNS.map(([c]) => `<td>${c === 'count' ? h(st.count) : fmt(st[c])}</td>`).join('') : `<td colspan="${STAT_COLUMNS.length}" class="muted">not recorded</td>`;
      return `<tr><td>${name}</td>${cells}</tr>`;
    })
    .join('');
  return `<table class="latency"><thead>${head}</thead><tbody>${rows}</tbody></table>`;
}

function stepSection(label: string, s: SavedStep): string {
  const ss = s.steady_state;
  const failed = Object.entries(s.requests.by_class)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const facts = [
    `window ${fmt(s.window_s)} s`,
    `${s.requests.total} requests, ${s.requests.succeeded} ok${s.requests.failed > 0 ? `, ${s.requests.failed} failed (${failed})` : ''}`,
    `tokens in ${s.tokens.input_total} / out ${s.tokens.output_total} (${s.tokens.output_source})`,
    ss ? `steady state ${fmt(ss.requests_per_s)} req/s, ${fmt(ss.output_tokens_per_s)} output tok/s over ${fmt(ss.window_s)} s` : 'no steady state (under a second once ramp-up and drain are dropped)',
  ];
  return `<h3>${h(label)}</h3>${cards(s)}<p class="muted">${h(facts.join(' · '))}</p>${latencyTable(s)}`;
}

/** One row per step: the sweep at a glance. */
function sweepTable(steps: readonly { label: string; summary: SavedStep }[]): string {
  const head = ['step', 'requests', 'success', 'req/s', 'output tok/s', 'total tok/s', 'goodput', 'conc. mean', 'TTFT p50', 'TTFT p99', 'TPOT p50', 'TPOT p99', 'ITL p99', 'E2E p50', 'E2E p99', 'client'];
  const rows = steps.map(({ label, summary: s }) => {
    const L = s.latency_ms;
    const cells = [
      label,
      String(s.requests.total),
      fmtPct(successRate(s.requests)),
      fmt(s.throughput.requests_per_s),
      fmt(s.throughput.output_tokens_per_s),
      fmt(s.throughput.total_tokens_per_s),
      fmt(s.throughput.goodput_requests_per_s),
      fmt(s.concurrency.mean),
      fmt(L.ttft?.p50),
      fmt(L.ttft?.p99),
      fmt(L.tpot?.p50),
      fmt(L.tpot?.p99),
      fmt(L.itl?.p99),
      fmt(L.e2e?.p50),
      fmt(L.e2e?.p99),
      s.client.client_bound === null ? 'unknown' : s.client.client_bound ? 'BOUND' : 'ok',
    ];
    return `<tr>${cells.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`;
  });
  return `<table class="sweep"><thead><tr>${head.map((x) => `<th>${x}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table><p class="muted">Latencies in ms.</p>`;
}

function errorsSection(errors: readonly ErrorDigest[], stepLabels: readonly string[]): string {
  if (errors.length === 0) return `<section id="errors"><h2>Errors</h2><p>No request failed.</p></section>`;
  const rows = errors.map((e) => {
    const bySteps = Object.entries(e.byStep)
      .map(([i, n]) => `${stepLabels[Number(i)] ?? `step ${Number(i) + 1}`}: ${n}`)
      .join(', ');
    const examples = e.examples.map((x) => `<div>status ${h(x.status)}, request ${h(x.index)}: <code>${h(x.message)}</code></div>`).join('');
    return `<tr><td><b>${h(e.errorClass)}</b></td><td>${h(e.count)}</td><td class="msg">${stepLabels.length > 1 ? `<div class="muted">${h(bySteps)}</div>` : ''}${examples}</td></tr>`;
  });
  return `<section id="errors"><h2>Errors</h2><table class="text"><thead><tr><th>class</th><th>count</th><th>examples (distinct messages, at most 3 per class)</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/** report.html: a pure function of the model and uPlot's text. */
export function renderReportHtml(m: ReportModel, assets: PageAssets): string {
  const charts: ChartSpec[] = [];
  const grid = (list: readonly ChartSpec[]) => {
    const html = chartGrid(list, charts.length);
    charts.push(...list);
    return html;
  };
  const multi = m.steps.length > 1;
  const verdictClass = m.clientVerdict.bound === true ? 'bad' : m.clientVerdict.bound === false ? 'ok' : '';
  const body = [
    `<header><h1>${h(m.title)}</h1></header>`,
    `<section id="what-ran"><h2>What ran</h2><dl class="meta">${m.meta.map(([k, v]) => `<dt>${h(k)}</dt><dd>${h(v)}</dd>`).join('')}</dl>`,
    `<div class="verdict ${verdictClass}">Client: ${h(m.clientVerdict.text)}</div>`,
    m.notes.map((n) => `<p class="note">${h(n)}</p>`).join(''),
    '</section>',
    accuracySection(m.accuracy),
    multi ? `<section id="sweep"><h2>Sweep: ${m.steps.length} steps</h2>${sweepTable(m.steps)}${grid(m.sweep)}</section>` : '',
    `<section id="summary"><h2>Summary</h2>${m.steps.map((s) => stepSection(s.label, s.summary)).join('')}</section>`,
    `<section id="distributions"><h2>Latency distributions</h2>${m.hdr.length > 0 ? grid(m.hdr) : '<p class="muted">No histograms: histograms.json is missing.</p>'}</section>`,
    `<section id="time-series"><h2>Over time</h2>${grid(m.time)}<p class="note">${h(m.seriesSource === 'intervals' ? SERIES_NOTE : m.seriesSource === 'requests' ? 'From requests.jsonl (no intervals.jsonl): tokens count when their request ended; no per-second TTFT.' : 'No time series: intervals.jsonl and requests.jsonl are missing.')}</p></section>`,
    errorsSection(m.errors, m.steps.map((s) => s.label)),
    definitionsSection(),
  ].join('\n');
  return renderPage({ title: m.title, body, charts, data: { schema: 'evalperf.report/1', steps: m.steps.map((s) => s.summary) }, assets });
}
