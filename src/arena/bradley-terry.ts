import { createRng } from '../load/rng.js';

/**
 * Bradley-Terry ratings: P(i beats j) = 1 / (1 + 10^((R_j - R_i) / 400)), fitted by maximum
 * likelihood on a matrix of wins, W[i][j] = wins of i over j (a tie is half a win each way).
 *
 * A model that never loses has no finite maximum (its rating runs to infinity), and neither
 * does a set whose comparisons do not connect. So every pair that met gets `prior` extra wins
 * each way (default 0.5: one virtual tie per pair). It pulls ratings towards each other by a
 * little (a 15-5 record gives 180 points instead of 191) and makes an unbeaten record finite
 * (20-0 gives 645). `prior: 0` is the plain MLE, defined only when no model is unbeaten or winless.
 */
export const SCALE = 400;
export const BASE = 10;
const ANCHOR_RATING = 1000;
export const DEFAULT_PRIOR = 0.5;

export interface FitOptions {
  /** Extra wins each way per pair that met. */
  prior?: number;
  /** Index of the model held at 1000 (a baseline); null: the mean of the rated models is 1000. */
  anchor?: number | null;
}

const MAX_ITERATIONS = 100_000;
const TOLERANCE = 1e-11;

/** Ratings per model, or null for a model with no comparisons. */
export function fitBradleyTerry(wins: readonly (readonly number[])[], o: FitOptions = {}): (number | null)[] {
  const m = wins.length;
  const prior = o.prior ?? DEFAULT_PRIOR;
  const n: number[][] = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  const total = new Array<number>(m).fill(0);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (i === j) continue;
      const met = wins[i]![j]! + wins[j]![i]! > 0;
      n[i]![j] = wins[i]![j]! + wins[j]![i]! + (met ? 2 * prior : 0);
      total[i]! += wins[i]![j]! + (met ? prior : 0);
    }
  }
  const rated = n.map((row) => row.some((x) => x > 0));
  // Hunter's MM algorithm (2004): p_i <- W_i / sum_j n_ij / (p_i + p_j). Each step raises the
  // likelihood; strengths are rescaled to a geometric mean of 1 so they stay in range.
  let p = new Array<number>(m).fill(1);
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    const next = p.map((pi, i) => {
      if (!rated[i]) return 1;
      let denominator = 0;
      for (let j = 0; j < m; j++) if (n[i]![j]! > 0) denominator += n[i]![j]! / (pi + p[j]!);
      return total[i]! / denominator;
    });
    const logMean = mean(next.filter((_, i) => rated[i]).map(Math.log));
    for (let i = 0; i < m; i++) next[i] = next[i]! / Math.exp(logMean);
    const change = Math.max(...next.map((x, i) => Math.abs(Math.log(x / p[i]!))));
    p = next;
    if (change < TOLERANCE) break;
  }
  const raw = p.map((x, i) => (rated[i] ? (SCALE * Math.log(x)) / Math.log(BASE) : null));
  const anchor = o.anchor ?? null;
  const offset = anchor !== null && raw[anchor] !== null ? raw[anchor]! : mean(raw.filter((r): r is number => r !== null));
  return raw.map((r) => (r === null ? null : ANCHOR_RATING + r - offset));
}

export interface Interval {
  lo: number;
  hi: number;
}

/**
 * 95% intervals by the bootstrap over questions: each round draws as many questions as there
 * are, with replacement, and refits on their summed win matrices. Questions, not single
 * verdicts, are the unit, because a question's verdicts (both orders, every pair) go together.
 * The same seed gives the same intervals.
 */
export function bootstrapRatings(perQuestion: readonly (readonly (readonly number[])[])[], models: number, rounds: number, seed: number, o: FitOptions = {}): (Interval | null)[] {
  const rng = createRng(seed);
  const samples: number[][] = Array.from({ length: models }, () => []);
  for (let r = 0; r < rounds && perQuestion.length > 0; r++) {
    const sum = Array.from({ length: models }, () => new Array<number>(models).fill(0));
    for (let k = 0; k < perQuestion.length; k++) {
      const q = perQuestion[Math.floor(rng() * perQuestion.length)]!;
      for (let i = 0; i < models; i++) for (let j = 0; j < models; j++) sum[i]![j]! += q[i]![j]!;
    }
    fitBradleyTerry(sum, o).forEach((rating, i) => {
      if (rating !== null) samples[i]!.push(rating);
    });
  }
  return samples.map((s) => (s.length === 0 ? null : { lo: quantile(s, 0.025), hi: quantile(s, 0.975) }));
}

/** The q-quantile with linear interpolation between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (at - lo);
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}
