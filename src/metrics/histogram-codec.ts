import { createHistogram, type Histogram } from './histogram.js';

/**
 * How a worker's interval histograms reach the main thread: each one's counts array (up to its
 * highest non-empty bucket) copied into one Uint32Array whose buffer is transferred with the
 * snapshot.
 *
 * It replaces hdr-histogram-js's encodeIntoCompressedBase64 (varint encoding, deflate, base64)
 * on the worker's event loop, where every millisecond delays timestamps and scheduled sends
 * (open-loop lag). Here the worker does one memcpy per histogram (tens of KB, never compressed:
 * the buffer moves between threads without a copy); the main thread copies the counts back and
 * lets hdr-histogram-js recompute total and max, as its own decoder does. Files on disk
 * (histograms.json) keep the compressed, portable encoding.
 *
 * Layout: [histogramCount, then per histogram: length, counts[0 .. length)]. Both sides build
 * histograms with createHistogram(), so bucket i means the same range on each; percentiles,
 * mean and max equal a compressed round trip's (the max is the top of its bucket).
 */

/** The JsHistogram members we use; public in hdr-histogram-js's JS, not in its Histogram type. */
interface Buckets {
  readonly maxValue: number;
  readonly totalCount: number;
  /** The 32-bit variant's counts (TypedArrayHistogram). */
  readonly _counts?: Uint32Array;
  countsArrayIndex(value: number): number;
  getCountAtIndex(index: number): number;
  /** Recomputes total count, min and max from the counts (what the library's decoder calls). */
  establishInternalTackingValues(lengthToCover?: number): void;
  valueFromIndex(index: number): number;
  highestEquivalentValue(value: number): number;
}

/** Buckets above the max are empty: the length to send. */
const usedLength = (h: Buckets): number => (h.totalCount > 0 ? h.countsArrayIndex(h.maxValue) + 1 : 0);

/** Packs histograms in order (empty ones as length 0); the result owns its buffer. */
export function packHistograms(hists: readonly Histogram[]): Uint32Array {
  const buckets = hists as unknown as readonly Buckets[];
  const lengths = buckets.map(usedLength);
  const out = new Uint32Array(1 + hists.length + lengths.reduce((a, b) => a + b, 0));
  let n = 0;
  out[n++] = hists.length;
  buckets.forEach((h, k) => {
    const len = lengths[k]!;
    out[n++] = len;
    if (len === 0) return;
    if (h._counts instanceof Uint32Array) out.set(h._counts.subarray(0, len), n); // native copy
    else for (let i = 0; i < len; i++) out[n + i] = h.getCountAtIndex(i);
    n += len;
  });
  return out;
}

/** The histograms of packHistograms, in order; null where one was empty. */
export function unpackHistograms(packed: Uint32Array): (Histogram | null)[] {
  const out: (Histogram | null)[] = [];
  let n = 0;
  const count = packed[n++]!;
  for (let k = 0; k < count; k++) {
    const len = packed[n++]!;
    if (len === 0) {
      out.push(null);
      continue;
    }
    const h = createHistogram();
    const b = h as unknown as Buckets;
    if (b._counts instanceof Uint32Array && len <= b._counts.length) {
      b._counts.set(packed.subarray(n, n + len));
      b.establishInternalTackingValues(len);
    } else {
      // Values past the configured range (the worker's histogram resized itself): record each
      // bucket, which resizes this one too.
      for (let i = 0; i < len; i++) {
        const c = packed[n + i]!;
        if (c > 0) h.recordValueWithCount(b.highestEquivalentValue(b.valueFromIndex(i)), c);
      }
    }
    n += len;
    out.push(h);
  }
  return out;
}
