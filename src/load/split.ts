/**
 * Splits an integer count over `parts` with the remainder spread over the first parts:
 * 10 over 4 is [3, 3, 2, 2], never [2, 2, 2, 2].
 */
export function splitCount(total: number, parts: number): number[] {
  if (!Number.isInteger(total) || total < 0) throw new Error(`count must be a whole number >= 0, got ${total}`);
  if (!Number.isInteger(parts) || parts < 1) throw new Error(`parts must be a whole number >= 1, got ${parts}`);
  const base = Math.floor(total / parts);
  const extra = total % parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}
