/**
 * Parses `500ms`, `30s`, `10m`, `1h` or a bare number of seconds into milliseconds. Zero only
 * where `allowZero` (a pause may be none; a deadline may not).
 */
export function parseDuration(text: string | number, flag: string, allowZero = false): number {
  const ok = (v: number) => v > 0 || (allowZero && v === 0);
  if (typeof text === 'number') {
    if (Number.isFinite(text) && ok(text)) return text * 1000;
    throw new Error(`${flag} ${text}: must be > 0 (e.g. 30s, 500ms, 10m)`);
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  const value = m ? Number(m[1]) : NaN;
  if (!m || !ok(value)) throw new Error(`${flag} ${JSON.stringify(text)}: expected a duration like 500ms, 30s, 10m or 1h`);
  const unit = (m[2] ?? 's').toLowerCase();
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return value * factor;
}
