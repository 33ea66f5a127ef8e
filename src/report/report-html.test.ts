import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChartSpec } from './charts.js';
import { renderCompareHtml } from './compare-html.js';
import { HOSTILE, HOSTILE_ATTR, HOSTILE_SCRIPT, runData, savedStep, stats } from './fixtures.test-util.js';
import { loadPageAssets } from './html-page.js';
import { buildReportModel } from './report-model.js';
import { renderReportHtml } from './report-html.js';
import { REBUILD_NOTES } from './run-folder.js';

const assets = loadPageAssets();
const render = (d = runData()) => renderReportHtml(buildReportModel(d), assets);

function pageData(html: string): { charts: ChartSpec[] } & Record<string, unknown> {
  const m = /<script type="application\/json" id="evalperf-data">([^<]*)<\/script>/.exec(html);
  expect(m, 'the JSON data block').not.toBeNull();
  return JSON.parse(m![1]!);
}

/** Every inline script is allowed by the page's CSP hash, and no other script runs. */
function expectScriptsPinned(html: string): void {
  const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!.replace(/&#39;/g, "'");
  expect(csp).toMatch(/default-src 'none'/);
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  expect(scripts).toHaveLength(2);
  for (const s of scripts) expect(csp).toContain(`'sha256-${createHash('sha256').update(s).digest('base64')}'`);
}

describe('report.html', () => {
  it('has every section, the figures of the summary, and one chart placeholder per chart', () => {
    const html = render();
    for (const id of ['what-ran', 'summary', 'distributions', 'time-series', 'errors', 'definitions']) expect(html).toContain(`<section id="${id}">`);
    expect(html).not.toContain('<section id="sweep">');
    expect(html).toContain('<dt>Model</dt><dd>llama-3-8b</dd>');
    expect(html).toContain('<dt>Target</dt><dd>http://gpu:8000/v1</dd>');
    expect(html).toContain('<dt>Host</dt><dd>bench-host (linux/x64, 2 CPUs)</dd>');
    expect(html).toContain('Client: not client-bound: worst event-loop delay p99 4.9 ms, utilisation 5%');
    expect(html).toContain('<div class="v">1254</div><div class="k">output tokens/s</div>');
    expect(html).toContain('<div class="v">98.0%</div><div class="k">success rate (98 of 100)</div>');
    // TTFT row: p50 p90 p95 p99 p99.9 max mean count.
    expect(html).toContain('<tr><td>TTFT</td><td>61.5</td><td>92.25</td><td>104.5</td><td>123</td><td>153.8</td><td>184.5</td><td>64.58</td><td>100</td></tr>');
    expect(html).toContain('upstream overloaded');
    expect(html).toContain("AIPerf calls it ITL; guidellm&#39;s TPOT includes TTFT");
    const data = pageData(html);
    const placeholders = [...html.matchAll(/data-chart="(\d+)"/g)].map((m) => Number(m[1]));
    expect(placeholders).toEqual(data.charts.map((_, i) => i));
    expect(data.charts.filter((c) => c.kind === 'hdr').map((c) => c.title)).toEqual(['TTFT by percentile', 'TPOT by percentile', 'ITL by percentile', 'E2E by percentile']);
    expect(data.charts.filter((c) => c.kind === 'time')).toHaveLength(5);
    expectScriptsPinned(html);
  });

  it('an embeddings or rerank step shows input tokens/s and no TTFT or TPOT cards', () => {
    const pooling = savedStep(8, {
      tokens: { input_total: 12800, output_total: 0, output_source: 'usage' },
      throughput: { requests_per_s: 50, output_tokens_per_s: 0, total_tokens_per_s: 6400, goodput_requests_per_s: null },
      latency_ms: { ttft: null, tpot: null, itl: null, e2e: stats(40), queue: stats(1) },
    });
    const html = render(runData([pooling]));
    expect(html).toContain('<div class="v">6400</div><div class="k">input tokens/s</div>');
    expect(html).not.toContain('output tokens/s</div>');
    expect(html).not.toContain('TTFT p50 / p99 ms');
    expect(render()).toContain('TTFT p50 / p99 ms');
  });

  it('says where --stop-on-slo ended a sweep', () => {
    const d = runData([savedStep(1), savedStep(4)]);
    d.summary.slo_stop = { step: 1, attainment: 0.4213, floor: 0.9, skipped: 2 };
    expect(render(d)).toContain('<dt>Sweep stopped</dt><dd>after step 2: SLO attainment 42.1% below the --stop-on-slo floor of 90.0%; 2 higher steps not run</dd>');
    expect(render()).not.toContain('Sweep stopped');
  });

  it('a sweep gets a row per step and the throughput / latency by load charts', () => {
    const html = render(runData([savedStep(1), savedStep(4), savedStep(16)]));
    expect(html).toContain('<section id="sweep"><h2>Sweep: 3 steps</h2>');
    expect(html.match(/<tr><td>step \d: \d+ parallel<\/td>/g)).toHaveLength(3);
    const titles = pageData(html).charts.map((c) => c.title);
    expect(titles).toContain('Output tokens/s by load');
    expect(titles).toContain('TTFT p50 (solid) and p99 (dashed) by load');
  });

  it('says what a rebuilt summary lacks instead of showing zeros', () => {
    const step = savedStep(8, { latency_ms: { ttft: stats(60), itl: null }, client: { workers: 1, loop_delay_p99_ms: null, utilization_max: null, client_bound: null, cpu_ms: null, cpu_us_per_request: null, cpu_us_per_event: null } });
    const html = render(runData([step], { notes: REBUILD_NOTES, rebuilt: true }));
    expect(html).toContain('<tr><td>ITL</td><td colspan="8" class="muted">not recorded</td></tr>');
    expect(html).toContain('Client: unknown: client health is measured live and is not in requests.jsonl');
    expect(html).toContain('ITL is not recoverable');
  });

  it('flags a client-bound step', () => {
    const step = savedStep(8, { client: { ...savedStep().client, loop_delay_p99_ms: 31, client_bound: true } });
    expect(render(runData([step]))).toMatch(/<div class="verdict bad">Client: CLIENT-BOUND \(8 parallel\): worst event-loop delay p99 31\.0 ms/);
  });

  it('shows when TLS verification was off (--insecure)', () => {
    const d = runData();
    const html = render({ ...d, run: { ...d.run, tls_verification: 'off (--insecure)' } });
    expect(html).toContain('<dt>TLS verification</dt><dd>off (--insecure)</dd>');
  });

  it('escapes every string from outside: model, URL, load, error classes and messages', () => {
    const step = savedStep(8, { requests: { total: 3, succeeded: 1, failed: 2, by_class: { [HOSTILE]: 2 } }, load: { mode: 'open', parallel: null, rate: 2, arrival: HOSTILE } });
    const d = runData([step], {
      errors: [{ errorClass: HOSTILE, count: 2, byStep: { 0: 2 }, examples: [{ step: 0, index: 1, status: 500, message: HOSTILE }] }],
      notes: [HOSTILE],
    });
    d.summary.target = { url: `http://x/${HOSTILE}`, model: HOSTILE, api: HOSTILE };
    d.run = { ...d.run, host: { name: HOSTILE }, dataset: HOSTILE };
    const html = render(d);
    expect(html).not.toContain(HOSTILE_SCRIPT);
    expect(html).not.toContain(HOSTILE_ATTR);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    // The JSON block holds the hostile text as data, and it parses back intact.
    expect(JSON.stringify(pageData(html))).toContain(JSON.stringify(HOSTILE).slice(1, -1));
    expectScriptsPinned(html);
  });
});

describe('compare.html', () => {
  it('shows the runs side by side, per level, with differences and the better run', () => {
    const a = runData([savedStep(1), savedStep(8)]);
    const b = runData([savedStep(8, { latency_ms: { ...savedStep().latency_ms, ttft: stats(40) } })]);
    const html = renderCompareHtml([{ name: 'runs/a', data: a }, { name: HOSTILE, data: b }], assets);
    expect(html).toContain('<section id="runs">');
    expect(html).toContain('<h2>closed loop, 1 parallel</h2><p class="note">Not run at this level: B</p>');
    expect(html).toMatch(/<td>TTFT p50 ms <span class="muted">\(lower is better\)<\/span><\/td><td>61\.5<\/td><td class="better">40<\/td><td class="better">-21\.5 \(-35\.0%\)<\/td><td>B<\/td>/);
    expect(html).not.toContain(HOSTILE_SCRIPT);
    expect(html).not.toMatch(/<img/i);
    const charts = pageData(html).charts;
    expect(charts.filter((c) => c.kind === 'hdr').length).toBe(4 + 4);
    expect(charts.find((c) => c.title === 'Output tokens/s by load')!.series.map((s) => s.label)).toEqual(['A output tok/s', 'B output tok/s']);
    expectScriptsPinned(html);
  });
});
