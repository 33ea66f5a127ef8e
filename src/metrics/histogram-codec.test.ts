import { describe, expect, it } from 'vitest';
import { createHistogram, decodeHistogram, encodeHistogram, latencyStats, recordMs, type Histogram } from './histogram.js';
import { packHistograms, unpackHistograms } from './histogram-codec.js';

/** A seeded spread of latencies (ms), so failures reproduce. */
function filled(seed: number, n: number, scaleMs: number): Histogram {
  const h = createHistogram();
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    recordMs(h, (x / 2 ** 31) ** 3 * scaleMs);
  }
  return h;
}

const stats = (h: Histogram) => ({ ...latencyStats(h), p999: h.getValueAtPercentile(99.9), p25: h.getValueAtPercentile(25) });

describe('histogram codec', () => {
  const cases: { name: string; h: () => Histogram }[] = [
    { name: 'one value', h: () => filled(1, 1, 20) },
    { name: 'zero', h: () => (((h) => (recordMs(h, 0), h))(createHistogram())) },
    { name: 'ITL-like, 25k values under 50 ms', h: () => filled(7, 25_000, 50) },
    { name: 'wide, up to 10 minutes', h: () => filled(3, 5_000, 600_000) },
    // Past highestTrackableValue: the histogram resized itself; the rebuilt one must too.
    { name: 'beyond the configured range', h: () => (((h) => (recordMs(h, 90_000_000), h))(filled(5, 100, 10))) },
  ];

  it.each(cases)('$name: same figures as the compressed round trip', ({ h }) => {
    const orig = h();
    const [back] = unpackHistograms(packHistograms([orig]));
    const viaCompressed = decodeHistogram(encodeHistogram(orig));
    expect(back!.totalCount).toBe(orig.totalCount);
    expect(stats(back!)).toEqual(stats(viaCompressed));
  });

  it('keeps order and gives null for empty histograms', () => {
    const a = filled(11, 50, 5);
    const b = filled(12, 80, 500);
    const out = unpackHistograms(packHistograms([createHistogram(), a, createHistogram(), b]));
    expect(out.map((h) => h?.totalCount ?? null)).toEqual([null, 50, null, 80]);
    expect(stats(out[3]!)).toEqual(stats(decodeHistogram(encodeHistogram(b))));
  });

  it('owns its buffer, so it can be transferred', () => {
    const packed = packHistograms([filled(2, 1000, 30)]);
    expect(packed.byteOffset).toBe(0);
    expect(packed.buffer.byteLength).toBe(packed.byteLength);
    const again = packHistograms([filled(2, 10, 30)]); // the scratch buffer is reused, the result is not
    expect(unpackHistograms(packed)[0]!.totalCount).toBe(1000);
    expect(unpackHistograms(again)[0]!.totalCount).toBe(10);
  });
});
