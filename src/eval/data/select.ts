/**
 * Which items a run scores: `--subsets` and `--limit`, applied the same way for every benchmark.
 */
import { DataError } from './errors.js';

/** Checks requested subset names against the benchmark's list; returns the ones to load, in list order. */
export function pickSubsets(benchmark: string, all: readonly string[], wanted: readonly string[] | undefined): string[] {
  if (!wanted || wanted.length === 0) return [...all];
  const known = new Set(all);
  const bad = wanted.filter((w) => !known.has(w));
  if (bad.length > 0) {
    const shown = all.length > 12 ? `${all.slice(0, 12).join(', ')}, ... (${all.length} in all)` : all.join(', ');
    throw new DataError(`${benchmark}: unknown subset ${bad.map((b) => JSON.stringify(b)).join(', ')} (valid: ${shown})`);
  }
  const set = new Set(wanted);
  return all.filter((s) => set.has(s));
}

/**
 * At most `limit` items. A plain prefix would hold only the first subjects of MMLU, so items are
 * taken round-robin over subsets (first of each subset, then second, ...) and returned in their
 * original order: stable, and every subject is represented.
 */
export function applyLimit<T extends { subset: string }>(items: T[], limit: number | undefined): T[] {
  if (limit === undefined) return items;
  if (!Number.isInteger(limit) || limit < 0) throw new DataError(`--limit must be a non-negative integer, got ${limit}`);
  if (limit >= items.length) return items;
  const bySubset = new Map<string, number[]>();
  items.forEach((it, k) => {
    const list = bySubset.get(it.subset);
    if (list) list.push(k);
    else bySubset.set(it.subset, [k]);
  });
  const lists = [...bySubset.values()];
  const keep = new Set<number>();
  for (let round = 0; keep.size < limit; round++) {
    for (const list of lists) {
      if (round < list.length && keep.size < limit) keep.add(list[round]!);
    }
  }
  return items.filter((_, k) => keep.has(k));
}

/** Few-shot count within what the benchmark's few-shot split holds. */
export function checkShots(benchmark: string, shots: number, max: number): void {
  if (!Number.isInteger(shots) || shots < 0) throw new DataError(`${benchmark}: shots must be a non-negative integer, got ${shots}`);
  if (shots > max) {
    throw new DataError(
      max === 0 ? `${benchmark}: 0-shot only (no few-shot split), got --shots ${shots}` : `${benchmark}: at most ${max} shots, got ${shots}`,
    );
  }
}
