import hdr from 'hdr-histogram-js';

/**
 * HDR histograms of latencies. Values are recorded in integer microseconds with 3 significant
 * digits (DESIGN.md); everything outside this file speaks milliseconds. The pure-JS 32-bit
 * variant: ~110 ns per record, no WASM memory to free, auto-resizing so a 10-minute stall still
 * fits.
 */
export type Histogram = hdr.Histogram;

export function createHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

/** Records a duration in milliseconds. Negative or non-finite values are dropped. */
export function recordMs(h: Histogram, ms: number): void {
  if (!(ms >= 0) || !Number.isFinite(ms)) return;
  h.recordValue(Math.round(ms * 1000));
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 32, false);
}

export interface LatencyStats {
  count: number;
  mean: number;
  stdev: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

const usToMs = (us: number) => Math.round(us) / 1000;

/** Summary statistics in milliseconds; null when nothing was recorded. */
export function latencyStats(h: Histogram): LatencyStats | null {
  if (h.totalCount === 0) return null;
  return {
    count: h.totalCount,
    mean: usToMs(h.mean),
    stdev: usToMs(h.stdDeviation),
    p50: usToMs(h.getValueAtPercentile(50)),
    p90: usToMs(h.getValueAtPercentile(90)),
    p95: usToMs(h.getValueAtPercentile(95)),
    p99: usToMs(h.getValueAtPercentile(99)),
    p999: usToMs(h.getValueAtPercentile(99.9)),
    max: usToMs(h.maxValue),
  };
}

export function percentileMs(h: Histogram, p: number): number | null {
  return h.totalCount === 0 ? null : usToMs(h.getValueAtPercentile(p));
}
