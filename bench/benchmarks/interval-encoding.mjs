// Interval encoding: what a worker spends every 250 ms turning its interval histograms into a
// message (on its own event loop, where it delays timestamps and scheduled sends), and what the
// main thread spends reading them back. The compressed base64 encoding (before) against the
// raw counts arrays of metrics/histogram-codec.ts (after), in this process, in
// interleaved rounds; medians.
import { decodeHistogram, recordMs } from '../../dist/metrics/histogram.js';
import { LATENCY_METRICS, createHistogramSet, encodeHistogramSet, packHistogramSet, unpackHistogramSet } from '../../dist/metrics/recorder.js';
import { round } from '../lib.mjs';

export const description = 'worker-side encode and main-side decode of one interval\'s histograms: compressed base64 vs raw counts (transferred)';

// One worker's 250 ms interval: requests finished in it and content gaps per request.
const INTERVALS = [
  { name: 'open loop 1,000 req/s, 2 tokens', requests: 250, gaps: 1 },
  { name: 'closed 64 streams, 20 ms steps, 64 tokens', requests: 12, gaps: 63 },
  { name: 'closed 256 streams, zero ITL, 256 tokens', requests: 100, gaps: 255 },
];

function fill(spec, seed) {
  const set = createHistogramSet();
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2 ** 31), x / 2 ** 31);
  for (let i = 0; i < spec.requests; i++) {
    const ttft = 20 + 200 * rnd() ** 2;
    const e2e = ttft + spec.gaps * (5 + 30 * rnd());
    for (const [m, v] of [['ttft', ttft], ['tpot', e2e / (spec.gaps + 1)], ['e2e', e2e], ['queue', rnd()], ['ttftFromSchedule', ttft + rnd()], ['e2eFromSchedule', e2e + rnd()]]) recordMs(set[m], v);
    for (let g = 0; g < spec.gaps; g++) recordMs(set.itl, 40 * rnd() ** 3);
  }
  return set;
}

const decodeCompressed = (enc) => Object.values(enc).map((e) => decodeHistogram(e));

function time(fn, reps) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 1e6 / reps;
}

const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];

export async function run({ quick = false } = {}) {
  const rounds = quick ? 3 : 15;
  const reps = quick ? 2 : 10;
  const rows = [];
  for (const spec of quick ? INTERVALS.slice(0, 1) : INTERVALS) {
    const set = fill(spec, 42);
    const enc = encodeHistogramSet(set);
    const packed = packHistogramSet(set);
    const t = { encOld: [], encNew: [], decOld: [], decNew: [] };
    for (let r = 0; r < rounds; r++) {
      t.encOld.push(time(() => encodeHistogramSet(set), reps));
      t.encNew.push(time(() => packHistogramSet(set), reps));
      t.decOld.push(time(() => decodeCompressed(enc), reps));
      t.decNew.push(time(() => unpackHistogramSet(packed), reps));
    }
    const bytesOld = Object.values(enc).reduce((n, s) => n + s.length, 0);
    rows.push({
      interval: spec.name,
      histograms: LATENCY_METRICS.filter((m) => set[m].totalCount > 0).length,
      worker_ms_compressed: round(median(t.encOld), 3),
      worker_ms_packed: round(median(t.encNew), 3),
      main_ms_compressed: round(median(t.decOld), 3),
      main_ms_packed: round(median(t.decNew), 3),
      bytes_compressed: bytesOld,
      bytes_packed: packed.byteLength,
    });
  }
  return rows;
}
