/**
 * "Did you mean" for a name a person typed: the closest known name, or null when nothing is close
 * enough to be a likely typo (a wild guess is worse than none).
 */
export function closest(typed: string, names: readonly string[]): string | null {
  const t = normalize(typed);
  // Same name in another spelling (inputTokens, input_tokens, --input-tokens): certain.
  const same = names.find((n) => normalize(n) === t);
  if (same !== undefined) return same;
  const limit = Math.max(1, Math.min(3, Math.floor(t.length / 3)));
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const n of names) {
    const d = distance(t, normalize(n));
    if (d < bestDistance) [best, bestDistance] = [n, d];
  }
  return best;
}

function normalize(name: string): string {
  return name
    .replace(/^-+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
}

/** Levenshtein distance, one row at a time: names are short. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
