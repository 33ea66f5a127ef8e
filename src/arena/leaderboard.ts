import { addRecords, headToHead, positionBias, winMatrices, winRate, type PairJudgment, type PositionBias } from './battles.js';
import { bootstrapRatings, fitBradleyTerry, quantile } from './bradley-terry.js';
import { createRng } from '../load/rng.js';

/** One row of a pairwise or baseline leaderboard (arena.json keeps these key names). */
export interface RatingEntry {
  model: string;
  rating: number | null;
  ci: [number, number] | null;
  /** Against the baseline when there is one, else against all others; ties count half. */
  win_rate: number | null;
  wins: number;
  ties: number;
  losses: number;
}

export interface PairwiseResult {
  leaderboard: RatingEntry[];
  /** share[i][j]: i's win rate against j (ties half), null where they never met; battles[i][j]: parsed verdicts. */
  win_matrix: { models: string[]; share: (number | null)[][]; battles: number[][] };
  position_bias: PositionBias;
}

export interface RankOptions {
  /** Index of the baseline: held at 1000 and the reference of win_rate. */
  baseline: number | null;
  rounds: number;
  seed: number;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const maybe = (x: number | null, digits: number) => (x === null ? null : round(x, digits));

/** Best first; models without a result last, in the order given. */
function byBest<T extends { model: string }>(entries: T[], value: (e: T) => number | null, order: readonly string[]): T[] {
  return [...entries].sort((x, y) => (value(y) ?? -Infinity) - (value(x) ?? -Infinity) || order.indexOf(x.model) - order.indexOf(y.model));
}

export function rankPairwise(models: readonly string[], judgments: readonly PairJudgment[], o: RankOptions): PairwiseResult {
  const m = models.length;
  const { total, perQuestion } = winMatrices(judgments, m);
  const fit = { anchor: o.baseline };
  const ratings = fitBradleyTerry(total, fit);
  const intervals = bootstrapRatings(perQuestion, m, o.rounds, o.seed, fit);
  const h2h = headToHead(judgments, m);
  const entries = models.map((model, i): RatingEntry => {
    const all = addRecords(h2h[i]!.filter((_, j) => j !== i));
    const against = o.baseline === null ? all : h2h[i]![o.baseline]!;
    const ci = intervals[i];
    return {
      model,
      rating: maybe(ratings[i]!, 1),
      ci: ci ? [round(ci.lo, 1), round(ci.hi, 1)] : null,
      win_rate: i === o.baseline ? null : maybe(winRate(against), 4),
      ...all,
    };
  });
  const bias = positionBias(judgments);
  return {
    leaderboard: byBest(entries, (e) => e.rating, models),
    win_matrix: {
      models: [...models],
      share: h2h.map((row, i) => row.map((r, j) => (i === j ? null : maybe(winRate(r), 4)))),
      battles: h2h.map((row) => row.map((r) => r.wins + r.ties + r.losses)),
    },
    position_bias: { ...bias, first_share: maybe(bias.first_share, 4), consistency: maybe(bias.consistency, 4) },
  };
}

/** One grade: model `model`'s answer to `question`, or null when the judge's reply had no usable score. */
export interface ScoreJudgment {
  question: string;
  model: number;
  score: number | null;
}

export interface ScoreEntry {
  model: string;
  /** Mean grade (1-10) over the answers graded. */
  score: number | null;
  ci: [number, number] | null;
  graded: number;
}

/** Single-answer grading: mean grade per model, with a bootstrap interval over questions (same seed, same interval). */
export function rankSingle(models: readonly string[], judgments: readonly ScoreJudgment[], o: Omit<RankOptions, 'baseline'>): ScoreEntry[] {
  const byQuestion = new Map<string, { sum: number[]; n: number[] }>();
  for (const j of judgments) {
    if (j.score === null) continue;
    let q = byQuestion.get(j.question);
    if (!q) byQuestion.set(j.question, (q = { sum: models.map(() => 0), n: models.map(() => 0) }));
    q.sum[j.model]! += j.score;
    q.n[j.model]!++;
  }
  const questions = [...byQuestion.values()];
  const meanOf = (qs: readonly { sum: number[]; n: number[] }[], i: number) => {
    const n = qs.reduce((a, q) => a + q.n[i]!, 0);
    return n === 0 ? null : qs.reduce((a, q) => a + q.sum[i]!, 0) / n;
  };
  const rng = createRng(o.seed);
  const samples: number[][] = models.map(() => []);
  for (let r = 0; r < o.rounds && questions.length > 0; r++) {
    const drawn = questions.map(() => questions[Math.floor(rng() * questions.length)]!);
    models.forEach((_, i) => {
      const x = meanOf(drawn, i);
      if (x !== null) samples[i]!.push(x);
    });
  }
  const entries = models.map((model, i): ScoreEntry => {
    const s = samples[i]!;
    return {
      model,
      score: maybe(meanOf(questions, i), 2),
      ci: s.length === 0 ? null : [round(quantile(s, 0.025), 2), round(quantile(s, 0.975), 2)],
      graded: questions.reduce((a, q) => a + q.n[i]!, 0),
    };
  });
  return byBest(entries, (e) => e.score, models);
}
