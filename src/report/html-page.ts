import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ChartSpec } from './charts.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { DEFINITIONS } from './definitions.js';
import { escapeHtml, jsonForScript } from './escape.js';

/** uPlot's script and stylesheet, inlined into every page so it opens offline. */
export interface PageAssets {
  uplotJs: string;
  uplotCss: string;
}

let cached: PageAssets | null = null;

/** Reads uPlot from its installed package (once per process). */
export function loadPageAssets(): PageAssets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const uplotJs = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  const uplotCss = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  // Inlined as they are: a closing tag inside would end the element early.
  if (/<\/script/i.test(uplotJs) || /<\/style/i.test(uplotCss)) throw new Error('uPlot assets contain a closing tag and cannot be inlined');
  cached = { uplotJs, uplotCss };
  return cached;
}

const CSS = `
:root { --fg: #111827; --muted: #6b7280; --line: #e5e7eb; --bg: #ffffff; --card: #f9fafb; --bad: #b91c1c; --good: #15803d; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 8px; }
.muted, figcaption, .note { color: var(--muted); }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: right; vertical-align: top; }
th:first-child, td:first-child, table.text td, table.text th { text-align: left; }
thead th { background: var(--card); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 150px; }
.card .v { font-size: 20px; font-weight: 600; } .card .k { color: var(--muted); font-size: 12px; }
.verdict { padding: 8px 12px; border-radius: 6px; border: 1px solid var(--line); margin: 8px 0; }
.verdict.bad { border-color: var(--bad); color: var(--bad); font-weight: 600; } .verdict.ok { border-color: var(--good); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 16px; }
figure { margin: 0; min-width: 0; } figcaption { font-weight: 600; margin-bottom: 4px; }
.better { color: var(--good); font-weight: 600; } .worse { color: var(--bad); }
code { font-size: 12px; background: var(--card); padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; white-space: pre-wrap; }
td.msg { text-align: left; max-width: 700px; }
`;

/** A placeholder the page script draws `charts[index]` into, under its escaped title. */
function chartFigure(c: ChartSpec, index: number): string {
  return `<figure><figcaption>${escapeHtml(c.title)}</figcaption><div class="plot" data-chart="${index}"></div></figure>`;
}

export function chartGrid(charts: readonly ChartSpec[], first: number): string {
  return charts.length === 0 ? '' : `<div class="charts">${charts.map((c, i) => chartFigure(c, first + i)).join('')}</div>`;
}

export function definitionsSection(): string {
  const rows = DEFINITIONS.map((d) => `<tr><td><b>${escapeHtml(d.metric)}</b></td><td>${escapeHtml(d.formula)}</td><td>${escapeHtml(d.otherNames)}</td></tr>`).join('');
  return `<section id="definitions"><h2>Definitions</h2><table class="text"><thead><tr><th>metric</th><th>definition</th><th>other tools' names</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/**
 * One self-contained page: styles, uPlot and the page script inline, chart data in a JSON
 * block. The Content-Security-Policy allows no network access at all, and only these two
 * scripts by hash: even text that escaped escaping could not run or fetch anything.
 */
export function renderPage(p: { title: string; body: string; charts: readonly ChartSpec[]; data: Record<string, unknown>; assets: PageAssets }): string {
  const csp = `default-src 'none'; script-src ${sha256(p.assets.uplotJs)} ${sha256(CLIENT_SCRIPT)}; style-src 'unsafe-inline'; img-src data:`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title>
<style>${p.assets.uplotCss}</style>
<style>${CSS}</style>
</head>
<body>
<main>
${p.body}
</main>
<script type="application/json" id="evalperf-data">${jsonForScript({ ...p.data, charts: p.charts })}</script>
<script>${p.assets.uplotJs}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
