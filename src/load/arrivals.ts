import { createRng, exponential, gamma, type Rng } from './rng.js';

/**
 * Open-loop arrival processes. `gamma` follows vLLM's `--burstiness`: inter-arrival times are
 * Gamma(shape = burstiness, scale = 1 / (rate * burstiness)), so the mean rate is unchanged;
 * burstiness 1 is Poisson, below 1 is burstier, above 1 is more regular.
 */
export type ArrivalSpec =
  | { kind: 'poisson' }
  | { kind: 'constant' }
  | { kind: 'gamma'; burstiness: number };

export function parseArrival(text: string): ArrivalSpec {
  const [name, arg, ...rest] = text.trim().toLowerCase().split(':');
  if (name === 'poisson' && arg === undefined) return { kind: 'poisson' };
  if (name === 'constant' && arg === undefined) return { kind: 'constant' };
  if (name === 'gamma' && rest.length === 0) {
    const burstiness = arg === undefined ? 1 : Number(arg);
    if (!Number.isFinite(burstiness) || burstiness <= 0) {
      throw new Error(`--arrival ${text}: burstiness must be a number > 0, e.g. gamma:0.5`);
    }
    return { kind: 'gamma', burstiness };
  }
  throw new Error(`--arrival ${text}: expected poisson, constant or gamma[:burstiness], e.g. gamma:0.5`);
}

export function formatArrival(spec: ArrivalSpec): string {
  return spec.kind === 'gamma' ? `gamma:${spec.burstiness}` : spec.kind;
}

/** One inter-arrival gap in milliseconds for a process of `ratePerSec`. Pure given the rng. */
export function interArrivalMs(rng: Rng, ratePerSec: number, spec: ArrivalSpec): number {
  const meanMs = 1000 / ratePerSec;
  switch (spec.kind) {
    case 'constant':
      return meanMs;
    case 'poisson':
      return exponential(rng, meanMs);
    case 'gamma':
      return gamma(rng, spec.burstiness, meanMs / spec.burstiness);
  }
}

/**
 * Which arrivals a worker owns: arrival k when `from <= k % modulo < to`. Without an in-flight
 * cap every worker owns one residue of `workers`; with a cap split over workers (say 3 as
 * [2, 1]) each owns as many residues of the cap as it has slots, so arrivals follow capacity.
 */
export interface ArrivalShare {
  modulo: number;
  from: number;
  to: number;
}

/**
 * The arrivals of one worker. Every worker generates the same global schedule from the same
 * seed and keeps the arrivals its share owns. So the union over workers is exactly one process
 * at the full rate, for any distribution (a split into independent per-worker gamma or constant
 * processes would not be), and arrival indexes are global. Times are absolute offsets from the
 * step start: a late worker catches up, it never drifts.
 */
export class WorkerArrivals {
  private readonly rng: Rng;
  private globalIndex = -1;
  private at = 0;

  constructor(
    private readonly ratePerSec: number,
    private readonly spec: ArrivalSpec,
    seed: number,
    private readonly share: ArrivalShare,
  ) {
    if (!(ratePerSec > 0) || !Number.isFinite(ratePerSec)) throw new Error(`rate must be > 0, got ${ratePerSec}`);
    const { modulo, from, to } = share;
    if (!(modulo >= 1 && from >= 0 && to > from && to <= modulo)) throw new Error(`arrival share ${from}..${to} of ${modulo} is out of range`);
    this.rng = createRng(seed);
  }

  /** Next arrival owned by this worker: its global index and its time (ms from step start). */
  next(): { index: number; atMs: number } {
    for (;;) {
      // The first arrival is at t = 0, so a run starts sending at once.
      if (this.globalIndex >= 0) this.at += interArrivalMs(this.rng, this.ratePerSec, this.spec);
      this.globalIndex++;
      const r = this.globalIndex % this.share.modulo;
      if (r >= this.share.from && r < this.share.to) break;
    }
    return { index: this.globalIndex, atMs: this.at };
  }
}
