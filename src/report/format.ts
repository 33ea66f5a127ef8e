/** Number formats shared by the report and compare pages and the compare table. */
export const DASH = '-';

/** Milliseconds and rates: up to 4 significant figures below 1000, whole numbers above. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
  const a = Math.abs(x);
  if (a >= 1000) return x.toFixed(0);
  const s = x.toFixed(a >= 100 ? 1 : a >= 10 ? 2 : 3);
  // 12.50 -> 12.5, 3.000 -> 3: trailing zeros of the fraction say nothing.
  return s.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

export function fmtPct(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return DASH;
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** Success rate of a step: succeeded / total, null when nothing ran. */
export const successRate = (r: { total: number; succeeded: number }): number | null => (r.total > 0 ? r.succeeded / r.total : null);
