import { describe, expect, it } from 'vitest';
import { headToHead, pairsFor, positionBias, winMatrices, type PairJudgment } from './battles.js';
import { rankPairwise, rankSingle } from './leaderboard.js';
import { arenaResults, type JudgmentLine } from './results.js';

const j = (question: string, a: number, b: number, verdict: PairJudgment['verdict']): PairJudgment => ({ question, a, b, verdict });

describe('pairs and battles', () => {
  it('pairwise compares every pair, baseline only the pairs with the baseline', () => {
    expect(pairsFor('pairwise', 3, null)).toEqual([[0, 1], [0, 2], [1, 2]]);
    expect(pairsFor('baseline', 3, 1)).toEqual([[0, 1], [1, 2]]);
  });

  it('a clear win counts three times in the fit, a tie half each way, an unparsed verdict not at all', () => {
    const { total, perQuestion } = winMatrices([j('q1', 0, 1, 'A>>B'), j('q1', 1, 0, 'A>B'), j('q2', 0, 1, 'A=B'), j('q2', 1, 0, null)], 2);
    expect(total).toEqual([[0, 3.5], [1.5, 0]]);
    expect(perQuestion).toEqual([[[0, 3], [1, 0]], [[0, 0.5], [0.5, 0]]]);
  });

  it('head to head counts verdicts as they are, from each side', () => {
    const h = headToHead([j('q1', 0, 1, 'A>>B'), j('q1', 1, 0, 'B>A'), j('q2', 0, 1, 'A=B')], 2);
    expect(h[0]![1]).toEqual({ wins: 2, ties: 1, losses: 0 });
    expect(h[1]![0]).toEqual({ wins: 0, ties: 1, losses: 2 });
  });

  it('position bias: how often the first answer wins, and whether both orders agree', () => {
    const b = positionBias([
      j('q1', 0, 1, 'A>B'), // 0 wins, shown first
      j('q1', 1, 0, 'A>B'), // 1 wins, shown first: the orders disagree
      j('q2', 0, 1, 'B>A'), // 1 wins, shown second
      j('q2', 1, 0, 'A>>B'), // 1 wins, shown first: agree
      j('q3', 0, 1, 'A=B'),
      j('q3', 1, 0, null), // only one order read: not a pair
    ]);
    expect(b).toEqual({ first: 3, second: 1, ties: 1, first_share: 0.75, pairs: 2, consistent: 1, consistency: 0.5 });
  });
});

describe('leaderboards', () => {
  // c beats everyone, b beats a, over four questions in both orders.
  const judgments: PairJudgment[] = ['q1', 'q2', 'q3', 'q4'].flatMap((q) => [
    j(q, 2, 0, 'A>B'), j(q, 0, 2, 'B>A'),
    j(q, 2, 1, 'A>B'), j(q, 1, 2, q === 'q4' ? 'A=B' : 'B>A'),
    j(q, 1, 0, 'A>B'), j(q, 0, 1, 'B>A'),
  ]);

  it('pairwise: best first, mean rating 1000, win rates against all others', () => {
    const r = rankPairwise(['a', 'b', 'c'], judgments, { baseline: null, rounds: 100, seed: 1 });
    expect(r.leaderboard.map((e) => e.model)).toEqual(['c', 'b', 'a']);
    const mean = r.leaderboard.reduce((s, e) => s + e.rating!, 0) / 3;
    expect(mean).toBeCloseTo(1000, 0);
    expect(r.leaderboard[0]).toMatchObject({ model: 'c', wins: 15, ties: 1, losses: 0, win_rate: 0.9688 });
    expect(r.leaderboard[2]).toMatchObject({ model: 'a', wins: 0, losses: 16, win_rate: 0 });
    expect(r.win_matrix.share[2]![0]).toBe(1);
    expect(r.win_matrix.share[1]![2]).toBe(0.0625);
    expect(r.win_matrix.battles[0]![1]).toBe(8);
  });

  it('with a baseline: it is held at 1000 and the win rates are against it', () => {
    const r = rankPairwise(['a', 'b', 'c'], judgments, { baseline: 1, rounds: 100, seed: 1 });
    const by = Object.fromEntries(r.leaderboard.map((e) => [e.model, e]));
    expect(by.b).toMatchObject({ rating: 1000, win_rate: null, ci: [1000, 1000] });
    expect(by.c!.win_rate).toBe(0.9375);
    expect(by.a!.win_rate).toBe(0);
  });

  it('single: mean grade per model, best first, with a seeded interval', () => {
    const graded = ['q1', 'q2', 'q3'].flatMap((q, i) => [
      { question: q, model: 0, score: 4 + i },
      { question: q, model: 1, score: i === 2 ? null : 8 },
    ]);
    const board = rankSingle(['a', 'b'], graded, { rounds: 200, seed: 3 });
    expect(board.map((e) => [e.model, e.score, e.graded])).toEqual([['b', 8, 2], ['a', 5, 3]]);
    expect(board[1]!.ci![0]).toBeGreaterThanOrEqual(4);
    expect(board[1]!.ci![1]).toBeLessThanOrEqual(6);
    expect(rankSingle(['a', 'b'], graded, { rounds: 200, seed: 3 })).toEqual(board);
  });
});

describe('arenaResults', () => {
  const line = (question: string, a: string, b: string | null, reply: string | null): JudgmentLine => ({ kind: b === null ? 'single' : 'pair', question, a, b, reply, error: reply === null ? 'http_5xx' : null });

  it('reads every reply, counts why one is unread, and ranks', () => {
    const lines = [
      line('q1', 'x', 'y', '[[A>B]]'),
      line('q1', 'y', 'x', 'Final verdict: B>A'),
      line('q2', 'x', 'y', 'no idea'),
      line('q2', 'y', 'x', '[[A>B]] or [[B>A]]'),
      line('q3', 'x', 'y', null),
    ];
    const r = arenaResults(lines, { mode: 'pairwise', models: ['x', 'y'], baseline: null, patterns: null, expected: 8, skipped: 2, rounds: 50, seed: 1 });
    expect(r.judgments).toEqual({ expected: 8, skipped: 2, failed: 1, parsed: 2, unparsed: { none: 1, conflict: 1, invalid: 0 }, rules: { '[[A>B]]': 1, 'verdict: A>B': 1 } });
    expect(r.leaderboard[0]!.model).toBe('x');
    expect(r.method).toMatchObject({ scale: 400, base: 10, strong_win_weight: 3 });
  });

  it('single mode reads grades', () => {
    const r = arenaResults([line('q1', 'x', null, 'Rating: [[9]]'), line('q1', 'y', null, 'Rating: [[12]]')], { mode: 'single', models: ['x', 'y'], baseline: null, patterns: null, expected: 2, skipped: 0, rounds: 10, seed: 1 });
    expect(r.leaderboard).toEqual([{ model: 'x', score: 9, ci: [9, 9], graded: 1 }, { model: 'y', score: null, ci: null, graded: 0 }]);
    expect(r.judgments.unparsed.invalid).toBe(1);
    expect(r.win_matrix).toBeNull();
  });
});
