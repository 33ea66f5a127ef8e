/**
 * Scores of many items -> one benchmark result: overall (micro: the mean over items), macro (the
 * mean over subsets, as MMLU papers often report), per subset, per category (micro, with the
 * macro of its subsets beside it), extra metrics, and pass@k when items were sampled several
 * times. Unparsed replies and failed requests stay in `n` and score 0; they are counted apart so
 * a low score can be told from a broken run.
 */
import type { ItemResult } from './types.js';

export interface GroupScore {
  score: number;
  n: number;
  correct: number;
  unparsed: number;
}

export interface CategoryScore extends GroupScore {
  /** Mean of the category's subset scores. */
  macro: number;
  subsets: number;
}

export interface Aggregate extends GroupScore {
  /** Requests that failed (no reply); also in n, scored 0. */
  failed: number;
  micro: number;
  macro: number;
  subsets: Record<string, GroupScore>;
  categories: Record<string, CategoryScore>;
  /** Means of the extra metrics (GSM8K strict_match). */
  secondary: Record<string, number>;
  /** pass@k over items with several samples, for each k not above the smallest sample count. */
  passAtK: Record<string, number>;
}

/** An item counts as correct when it scores 1; MC2-gen partial credit adds to the score only. */
const isCorrect = (r: ItemResult): boolean => r.score >= 1;
const isUnparsed = (r: ItemResult): boolean => r.error === undefined && r.extracted.answer === null;

function group(rs: readonly ItemResult[]): GroupScore {
  const n = rs.length;
  let sum = 0;
  let correct = 0;
  let unparsed = 0;
  for (const r of rs) {
    sum += r.score;
    if (isCorrect(r)) correct++;
    if (isUnparsed(r)) unparsed++;
  }
  return { score: n === 0 ? 0 : sum / n, n, correct, unparsed };
}

function mean(xs: number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function aggregate(results: readonly ItemResult[], opts: { passK?: number[] } = {}): Aggregate {
  const all = group(results);
  const bySubset = new Map<string, ItemResult[]>();
  const byCategory = new Map<string, ItemResult[]>();
  for (const r of results) {
    push(bySubset, r.subset, r);
    for (const c of new Set(r.categories)) push(byCategory, c, r);
  }
  const subsets: Record<string, GroupScore> = {};
  for (const [name, rs] of [...bySubset].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) subsets[name] = group(rs);

  const categories: Record<string, CategoryScore> = {};
  for (const [name, rs] of [...byCategory].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const names = [...new Set(rs.map((r) => r.subset))];
    categories[name] = { ...group(rs), macro: mean(names.map((s) => subsets[s]!.score)), subsets: names.length };
  }

  const secondary: Record<string, number> = {};
  const keys = new Set(results.flatMap((r) => Object.keys(r.secondary ?? {})));
  for (const k of keys) secondary[k] = mean(results.map((r) => r.secondary?.[k] ?? 0));

  return {
    ...all,
    failed: results.filter((r) => r.error !== undefined).length,
    micro: all.score,
    macro: mean(Object.values(subsets).map((s) => s.score)),
    subsets,
    categories,
    secondary,
    passAtK: passAtKTable(results, opts.passK ?? [1]),
  };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function passAtKTable(results: readonly ItemResult[], ks: number[]): Record<string, number> {
  const byItem = new Map<string, { n: number; c: number }>();
  for (const r of results) {
    const key = `${r.subset}\u0000${r.id}`;
    const e = byItem.get(key) ?? { n: 0, c: 0 };
    e.n++;
    if (isCorrect(r)) e.c++;
    byItem.set(key, e);
  }
  const out: Record<string, number> = {};
  if (byItem.size === 0) return out;
  const minN = Math.min(...[...byItem.values()].map((e) => e.n));
  for (const k of ks) {
    if (!Number.isInteger(k) || k < 1 || k > minN) continue;
    out[String(k)] = mean([...byItem.values()].map((e) => passAtK(e.n, e.c, k)));
  }
  return out;
}

/**
 * The unbiased pass@k estimator of the Codex paper, 1 - C(n-c, k) / C(n, k), in its product form
 * 1 - prod_{i=n-c+1..n} (1 - k/i): no factorials, so no overflow for large n. 1 when n - c < k.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!(n >= 1 && c >= 0 && c <= n && k >= 1 && k <= n)) throw new RangeError(`pass@k needs 1 <= k <= n and 0 <= c <= n (n=${n}, c=${c}, k=${k})`);
  if (n - c < k) return 1;
  let prod = 1;
  for (let i = n - c + 1; i <= n; i++) prod *= 1 - k / i;
  return 1 - prod;
}
