import { escapeHtml as h } from '../report/escape.js';
import { renderPage, type PageAssets } from '../report/html-page.js';
import { isScoreBoard, type ArenaDocument } from './document.js';
import type { RatingEntry } from './leaderboard.js';

/**
 * arena.html: the leaderboard, the pairwise win matrix and the judge's health on one
 * self-contained page (the report pages' shell: inline styles, no network). Every string that
 * came from outside (model ids, URLs, file names, categories, patterns) goes through escapeHtml.
 */
const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
const fixed = (x: number | null, d: number) => (x === null ? '–' : x.toFixed(d));
const cells = (xs: readonly string[], tag = 'td') => xs.map((x) => `<${tag}>${x}</${tag}>`).join('');
/** The first column (left-aligned by the page's styles): rank and model. */
const ranked = (i: number, model: string) => `${i + 1}. <b>${h(model)}</b>`;
const table = (head: readonly string[], rows: readonly string[], cls = '') => `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${cells(head.map(h), 'th')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;

function leaderboard(doc: ArenaDocument): string {
  if (isScoreBoard(doc, doc.leaderboard)) {
    const rows = doc.leaderboard.map((e, i) => `<tr>${cells([ranked(i, e.model), fixed(e.score, 2), e.ci ? `${e.ci[0].toFixed(2)} – ${e.ci[1].toFixed(2)}` : '–', String(e.graded)])}</tr>`);
    return table(['model', 'mean grade (1-10)', '95% CI', 'graded'], rows);
  }
  const rows = (doc.leaderboard as RatingEntry[]).map(
    (e, i) => `<tr>${cells([ranked(i, e.model), fixed(e.rating, 1), e.ci ? `${e.ci[0].toFixed(1)} – ${e.ci[1].toFixed(1)}` : '–', pct(e.win_rate), `${e.wins} / ${e.ties} / ${e.losses}`])}</tr>`,
  );
  return table(['model', 'rating', '95% CI', doc.baseline ? `win rate vs ${doc.baseline}` : 'win rate', 'wins / ties / losses'], rows);
}

/** Rows and columns in leaderboard order; a cell is the row model's win rate against the column model. */
function winMatrix(doc: ArenaDocument): string {
  const wm = doc.win_matrix;
  if (!wm) return '';
  const order = doc.leaderboard.map((e) => wm.models.indexOf(e.model));
  const rows = order.map((i) => {
    const tds = order.map((j) => {
      if (i === j) return '<td class="muted">—</td>';
      const share = wm.share[i]![j]!;
      if (share === null) return '<td class="muted" title="never compared">·</td>';
      // Red (0%) through white (50%) to green (100%): computed from a number, no outside text.
      const hue = share >= 0.5 ? 130 : 0;
      const light = Math.round(97 - Math.abs(share - 0.5) * 50);
      return `<td style="background:hsl(${hue} 60% ${light}%)" title="${wm.battles[i]![j]} verdicts">${pct(share)}</td>`;
    });
    return `<tr><th>${h(wm.models[i])}</th>${tds.join('')}</tr>`;
  });
  const head = `<tr><th>row beats column</th>${order.map((j) => `<th>${h(wm.models[j])}</th>`).join('')}</tr>`;
  return `<section><h2>Win matrix</h2><p class="note">Share of parsed verdicts the row model won against the column model, ties counted half, both orders of every pair together.</p><table><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function judgeHealth(doc: ArenaDocument): string {
  const j = doc.judgments;
  const list = [
    ['judge requests the mode calls for', j.expected],
    ['verdicts read', j.parsed],
    ['unparsed: no verdict found', j.unparsed.none],
    ['unparsed: conflicting verdicts', j.unparsed.conflict],
    ['unparsed: not a valid verdict or score', j.unparsed.invalid],
    ['judge request failed', j.failed],
    ['not asked: an answer was missing', j.skipped],
  ].map(([k, v]) => `<tr><td>${h(k)}</td><td>${h(v)}</td></tr>`);
  const rules = Object.entries(j.rules).map(([k, v]) => `<tr><td>read by <code>${h(k)}</code></td><td>${v}</td></tr>`);
  const b = doc.position_bias;
  const bias = b
    ? `<p>Position bias: the answer shown first won <b>${pct(b.first_share)}</b> of decided verdicts (${b.first} first, ${b.second} second, ${b.ties} ties; 50% is no bias). The two orders of a pair agree on <b>${pct(b.consistency)}</b> of ${b.pairs} pairs.</p>`
    : '';
  return `<section><h2>Judge</h2>${bias}<table class="text"><tbody>${[...list, ...rules].join('')}</tbody></table></section>`;
}

function setup(doc: ArenaDocument): string {
  const models = doc.models.map((m) => `<tr>${cells([h(m.name), h(m.url), h(m.model ?? '(first of /v1/models)'), String(m.answers), String(m.failed)])}</tr>`);
  const cats = Object.entries(doc.questions.categories).map(([k, v]) => `${h(k)} ${v}`).join(', ');
  const meta = [
    ['mode', `${doc.mode}${doc.baseline ? ` against ${doc.baseline}` : ''}`],
    ['judge', `${doc.judge.model ?? ''} at ${doc.judge.url}`],
    ['questions', `${doc.questions.n} from ${doc.questions.file}${cats ? ` (${cats})` : ''}`],
    ['judge prompt', `${doc.prompt.source} (sha256 ${doc.prompt.sha256.slice(0, 12)})`],
    ['method', Object.entries(doc.method).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join('; ')],
    ['evalperf', doc.tool.version],
  ].map(([k, v]) => `<dt>${h(k)}</dt><dd>${h(v)}</dd>`);
  meta.push(`<dt>verdict patterns</dt><dd>${doc.verdict_patterns.map((p) => `<code>${h(p)}</code>`).join(' ')}</dd>`);
  return `<section><h2>Set-up</h2><dl class="meta">${meta.join('')}</dl>${table(['name', 'url', 'served model', 'answers', 'failed'], models, 'text')}</section>`;
}

export function renderArenaHtml(doc: ArenaDocument, assets: PageAssets): string {
  const warn = doc.complete ? '' : '<div class="verdict bad">This run stopped before every answer and verdict was in: resume it to finish.</div>';
  const body = `<h1>evalperf arena</h1><p class="muted">${h(doc.mode)} · ${doc.models.length} models · ${doc.questions.n} questions</p>${warn}<section><h2>Leaderboard</h2>${leaderboard(doc)}</section>${winMatrix(doc)}${judgeHealth(doc)}${setup(doc)}`;
  return renderPage({ title: `evalperf arena: ${doc.models.map((m) => m.name).join(', ')}`, body, charts: [], data: { arena: doc }, assets });
}
