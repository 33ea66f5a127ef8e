import asciichart from 'asciichart';

/**
 * A line chart of the last points that fit in `width` columns, `height` rows tall, as lines of
 * text. Missing values (a second with no completion) repeat the previous value, so the line
 * does not break.
 */
export function chartLines(values: readonly (number | null)[], width: number, height: number): string[] {
  const labelWidth = 8;
  const room = Math.max(2, width - labelWidth - 2);
  // Leading seconds with no value are not zeros: start at the first real one.
  const first = values.findIndex((v) => v !== null && Number.isFinite(v));
  const tail = first < 0 ? [] : values.slice(first).slice(-room);
  const filled: number[] = [];
  let prev = 0;
  for (const v of tail) {
    if (v !== null && Number.isFinite(v)) prev = v;
    filled.push(prev);
  }
  if (filled.length < 2) return [...new Array<string>(height - 1).fill(''), '(waiting for data)'];
  const min = Math.min(...filled);
  let max = Math.max(...filled);
  if (max === min) max = min + 1; // a flat line still needs a range
  const text = asciichart.plot(filled, {
    height: height - 1,
    min: Math.min(0, min),
    max,
    format: (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(0)}k` : x >= 100 ? x.toFixed(0) : x.toFixed(1)).padStart(labelWidth),
  });
  return text.split('\n').map((l) => l.slice(0, width));
}
