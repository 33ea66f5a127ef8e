import type { Verdict } from './verdict.js';

/** single: each answer graded 1-10; baseline: each model against one; pairwise: all pairs. */
export const ARENA_MODES = ['single', 'baseline', 'pairwise'] as const;
export type ArenaMode = (typeof ARENA_MODES)[number];

/** The pairs a mode compares, as model indexes; each pair is judged in both orders. */
export function pairsFor(mode: Exclude<ArenaMode, 'single'>, models: number, baseline: number | null): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < models; i++) {
    for (let j = i + 1; j < models; j++) {
      if (mode === 'pairwise' || i === baseline || j === baseline) out.push([i, j]);
    }
  }
  return out;
}

/** One verdict: model `a` was shown as Assistant A, `b` as Assistant B. null: unparsed. */
export interface PairJudgment {
  question: string;
  a: number;
  b: number;
  verdict: Verdict | null;
}

/** A clear win (A>>B) counts as three wins in the fit, as in Arena-Hard; a tie as half a win each. */
export const STRONG_WIN_WEIGHT = 3;

/** The model a verdict favours, or null for a tie. */
function winnerOf(j: PairJudgment & { verdict: Verdict }): number | null {
  if (j.verdict === 'A=B') return null;
  return j.verdict.startsWith('A') ? j.a : j.b;
}

/** Weighted win matrices for the Bradley-Terry fit: over all questions, and one per question (for the bootstrap). */
export function winMatrices(judgments: readonly PairJudgment[], models: number): { total: number[][]; perQuestion: number[][][] } {
  const empty = () => Array.from({ length: models }, () => new Array<number>(models).fill(0));
  const total = empty();
  const byQuestion = new Map<string, number[][]>();
  for (const j of judgments) {
    if (j.verdict === null) continue;
    let q = byQuestion.get(j.question);
    if (!q) byQuestion.set(j.question, (q = empty()));
    for (const w of [total, q]) {
      const winner = winnerOf({ ...j, verdict: j.verdict });
      if (winner === null) {
        w[j.a]![j.b]! += 0.5;
        w[j.b]![j.a]! += 0.5;
      } else {
        w[winner]![winner === j.a ? j.b : j.a]! += j.verdict.includes('>>') ? STRONG_WIN_WEIGHT : 1;
      }
    }
  }
  return { total, perQuestion: [...byQuestion.values()] };
}

export interface HeadToHead {
  wins: number;
  ties: number;
  losses: number;
}

/** Verdicts as they were, unweighted: [i][j] is i's record against j. */
export function headToHead(judgments: readonly PairJudgment[], models: number): HeadToHead[][] {
  const h = Array.from({ length: models }, () => Array.from({ length: models }, () => ({ wins: 0, ties: 0, losses: 0 })));
  for (const j of judgments) {
    if (j.verdict === null) continue;
    const winner = winnerOf({ ...j, verdict: j.verdict });
    if (winner === null) {
      h[j.a]![j.b]!.ties++;
      h[j.b]![j.a]!.ties++;
    } else {
      const loser = winner === j.a ? j.b : j.a;
      h[winner]![loser]!.wins++;
      h[loser]![winner]!.losses++;
    }
  }
  return h;
}

/** (wins + ties / 2) / verdicts, or null without verdicts. */
export function winRate(r: HeadToHead): number | null {
  const n = r.wins + r.ties + r.losses;
  return n === 0 ? null : (r.wins + r.ties / 2) / n;
}

export function addRecords(records: readonly HeadToHead[]): HeadToHead {
  return records.reduce((a, r) => ({ wins: a.wins + r.wins, ties: a.ties + r.ties, losses: a.losses + r.losses }), { wins: 0, ties: 0, losses: 0 });
}

export interface PositionBias {
  /** Parsed verdicts for the answer shown first, for the second, and ties. */
  first: number;
  second: number;
  ties: number;
  /** first / (first + second): 0.5 for a judge without a position bias. */
  first_share: number | null;
  /** Pairs of a question judged in both orders with both verdicts parsed. */
  pairs: number;
  /** Of those, the pairs whose two verdicts name the same winner (or both a tie). */
  consistent: number;
  consistency: number | null;
}

export function positionBias(judgments: readonly PairJudgment[]): PositionBias {
  let first = 0;
  let second = 0;
  let ties = 0;
  const byPair = new Map<string, (number | null)[]>();
  for (const j of judgments) {
    if (j.verdict === null) continue;
    if (j.verdict === 'A=B') ties++;
    else if (j.verdict.startsWith('A')) first++;
    else second++;
    const key = `${j.question}\u0000${Math.min(j.a, j.b)}\u0000${Math.max(j.a, j.b)}`;
    byPair.set(key, [...(byPair.get(key) ?? []), winnerOf({ ...j, verdict: j.verdict })]);
  }
  const both = [...byPair.values()].filter((w) => w.length === 2);
  const consistent = both.filter((w) => w[0] === w[1]).length;
  return {
    first,
    second,
    ties,
    first_share: first + second === 0 ? null : first / (first + second),
    pairs: both.length,
    consistent,
    consistency: both.length === 0 ? null : consistent / both.length,
  };
}
