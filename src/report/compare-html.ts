import { hdrChart, levelCharts, type ChartSpec } from './charts.js';
import { bestLabel, compareRows, fmtDiff, fmtValue, matchLevels, runLabel, type Level } from './compare.js';
import { escapeHtml as h } from './escape.js';
import { chartGrid, definitionsSection, renderPage, type PageAssets } from './html-page.js';
import { HDR_METRICS } from './report-model.js';
import type { RunData } from './saved-run.js';

/** One run of a comparison: its folder name as given, and what was read from it. */
export interface CompareInput {
  name: string;
  data: RunData;
}

function runsTable(runs: readonly CompareInput[]): string {
  const rows = runs.map(({ name, data }, i) => {
    const s = data.summary;
    const bound = s.steps.some((st) => st.client.client_bound === true) ? 'CLIENT-BOUND' : s.steps.every((st) => st.client.client_bound === null) ? 'unknown' : 'ok';
    const cells = [runLabel(i), name, s.target?.model ?? '', s.target?.url ?? '', s.tool?.version ?? '', s.started_at ?? '', String(s.steps.length), bound];
    return `<tr>${cells.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`;
  });
  const head = ['run', 'folder', 'model', 'target', 'evalperf', 'started', 'steps', 'client'];
  return `<table class="text"><thead><tr>${head.map((x) => `<th>${x}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function levelTable(level: Level, n: number): string {
  const others = Array.from({ length: n - 1 }, (_, i) => i + 1);
  const head = ['metric', ...Array.from({ length: n }, (_, i) => runLabel(i)), ...others.map((i) => `${runLabel(i)} vs A`), 'better'];
  const rows = compareRows(level).map((r) => {
    const verdict = bestLabel(r);
    const values = r.values.map((v, i) => `<td${verdict !== 'same' && r.best.includes(i) ? ' class="better"' : ''}>${h(fmtValue(r.metric, v))}</td>`);
    const diffs = others.map((i) => {
      const d = r.diffs[i]!;
      return `<td class="${d.verdict === 'better' ? 'better' : d.verdict === 'worse' ? 'worse' : ''}">${h(fmtDiff(r.metric, d))}</td>`;
    });
    const dir = r.metric.better === null ? '' : ` <span class="muted">(${r.metric.better} is better)</span>`;
    return `<tr><td>${h(r.metric.name)}${dir}</td>${values.join('')}${diffs.join('')}<td>${h(verdict)}</td></tr>`;
  });
  return `<table class="compare"><thead><tr>${head.map((x) => `<th>${h(x)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** compare.html: runs side by side, matched by load level, differences against run A. */
export function renderCompareHtml(runs: readonly CompareInput[], assets: PageAssets): string {
  const charts: ChartSpec[] = [];
  const grid = (list: readonly ChartSpec[]) => {
    const html = chartGrid(list, charts.length);
    charts.push(...list);
    return html;
  };
  const levels = matchLevels(runs.map((r) => r.data.summary.steps));
  const sweep = levelCharts(runs.map((r, i) => ({ label: runLabel(i), color: i, steps: r.data.summary.steps })));
  const levelSections = levels.map((level) => {
    const hdr = HDR_METRICS.map(([m, name]) =>
      hdrChart(
        `${name} by percentile`,
        runs.map((r, i) => {
          const at = level.steps[i] === null ? -1 : r.data.summary.steps.indexOf(level.steps[i]!);
          return { label: runLabel(i), color: i, h: at < 0 ? undefined : r.data.histograms?.[at]?.[m] };
        }),
      ),
    ).filter((c): c is ChartSpec => c !== null);
    const missing = level.steps.map((s, i) => (s === null ? runLabel(i) : null)).filter((x) => x !== null);
    return `<section class="level"><h2>${h(level.label)}</h2>${missing.length > 0 ? `<p class="note">Not run at this level: ${h(missing.join(', '))}</p>` : ''}${levelTable(level, runs.length)}${grid(hdr)}</section>`;
  });
  const title = `evalperf compare: ${runs.map((r, i) => `${runLabel(i)} ${r.data.summary.target?.model ?? ''}`.trim()).join(' vs ')}`;
  const notes = runs.flatMap((r, i) => r.data.notes.map((n) => `${runLabel(i)}: ${n}`));
  const body = [
    `<header><h1>${h(title)}</h1><p class="muted">Differences are against run A. Lower is better for latencies, higher for throughput, goodput and success; differences under 1% are called the same.</p></header>`,
    `<section id="runs"><h2>Runs</h2>${runsTable(runs)}${notes.map((n) => `<p class="note">${h(n)}</p>`).join('')}</section>`,
    sweep.length > 0 ? `<section id="sweep"><h2>By load level</h2>${grid(sweep)}</section>` : '',
    ...levelSections,
    definitionsSection(),
  ].join('\n');
  return renderPage({ title, body, charts, data: { schema: 'evalperf.compare/1', runs: runs.map((r) => ({ name: r.name, summary: r.data.summary })) }, assets });
}
