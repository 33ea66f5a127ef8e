import { escapeHtml as h } from './escape.js';

/**
 * The accuracy section of an `evalperf eval` run's report, from its eval.json
 * (evalperf.eval/1): one row per benchmark (and load level, for a sweep), per-subject scores
 * folded away under each. Everything from the file is escaped.
 */
interface Entry {
  metric?: string;
  score?: number;
  n?: number;
  correct?: number;
  unparsed?: number;
  failed?: number;
  mode?: string;
  shots?: number;
  extraction?: string;
  subsets?: Record<string, { score?: number; n?: number }>;
}
type Benchmarks = Record<string, Entry>;

export interface AccuracyRow {
  level: string | null;
  benchmark: string;
  entry: Entry;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Rows from an eval.json document; [] when it holds none. */
export function accuracyRows(doc: unknown): AccuracyRow[] {
  if (!isObj(doc)) return [];
  const rows = (b: unknown, level: string | null) => (isObj(b) ? Object.entries(b as Benchmarks).map(([benchmark, entry]) => ({ level, benchmark, entry: isObj(entry) ? entry : {} })) : []);
  if (Array.isArray(doc.steps)) {
    return doc.steps.flatMap((s: unknown, i: number) => {
      const load = isObj(s) && isObj(s.load) ? s.load : {};
      const level = load.mode === 'open' ? `${String(load.rate)} req/s` : `${String(load.parallel)} parallel`;
      return rows(isObj(s) ? s.benchmarks : null, `step ${i + 1}: ${level}`);
    });
  }
  return rows(doc.benchmarks, null);
}

const pct = (x: number | undefined) => (typeof x === 'number' ? `${(x * 100).toFixed(1)}%` : '-');
const num = (x: number | undefined) => (typeof x === 'number' ? String(x) : '-');

export function accuracySection(rows: readonly AccuracyRow[]): string {
  if (rows.length === 0) return '';
  const sweep = rows.some((r) => r.level !== null);
  const head = `<tr>${sweep ? '<th>load</th>' : ''}<th>benchmark</th><th>metric</th><th>score</th><th>n</th><th>correct</th><th>unparsed</th><th>failed</th><th>mode, shots</th></tr>`;
  const body = rows
    .map((r) => {
      const e = r.entry;
      const subsets = Object.entries(e.subsets ?? {});
      const detail =
        subsets.length > 1
          ? `<details><summary>${subsets.length} subsets</summary><table class="text"><tbody>${subsets.map(([k, v]) => `<tr><td>${h(k)}</td><td>${pct(v.score)}</td><td>${num(v.n)}</td></tr>`).join('')}</tbody></table></details>`
          : '';
      return `<tr>${sweep ? `<td>${h(r.level ?? '')}</td>` : ''}<td><b>${h(r.benchmark)}</b>${detail}</td><td>${h(e.metric ?? '')}</td><td>${pct(e.score)}</td><td>${num(e.n)}</td><td>${num(e.correct)}</td><td>${num(e.unparsed)}</td><td>${num(e.failed)}</td><td>${h(`${e.mode ?? ''}, ${e.shots ?? 0}-shot`)}</td></tr>`;
    })
    .join('');
  return `<section id="accuracy"><h2>Accuracy</h2><table class="text"><thead>${head}</thead><tbody>${body}</tbody></table><p class="note">From eval.json: unparsed replies matched no extraction rule and count as wrong; failed requests count as wrong too. items.jsonl holds every item's prompt, reply, extracted answer and gold.</p></section>`;
}
