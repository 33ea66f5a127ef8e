import { STRONG_WIN_WEIGHT, type ArenaMode, type PairJudgment } from './battles.js';
import { BASE, DEFAULT_PRIOR, SCALE } from './bradley-terry.js';
import { rankPairwise, rankSingle, type PairwiseResult, type RatingEntry, type ScoreEntry, type ScoreJudgment } from './leaderboard.js';
import { parseScore, parseVerdict, type Parsed, type Pattern } from './verdict.js';

/** One judge request's outcome as judgments.jsonl keeps it: the reply, never only the verdict, so new patterns can re-read it. */
export interface JudgmentLine {
  kind: 'pair' | 'single';
  question: string;
  /** Shown as Assistant A (or the one graded). */
  a: string;
  /** Shown as Assistant B; null when grading one answer. */
  b: string | null;
  reply: string | null;
  error: string | null;
}

export interface JudgmentCounts {
  /** Judge requests the mode calls for. */
  expected: number;
  /** Not asked: an answer they needed failed. */
  skipped: number;
  /** The judge request failed. */
  failed: number;
  parsed: number;
  unparsed: { none: number; conflict: number; invalid: number };
  /** Parsed verdicts by the pattern that read them. */
  rules: Record<string, number>;
}

export interface ArenaResults {
  leaderboard: RatingEntry[] | ScoreEntry[];
  win_matrix: PairwiseResult['win_matrix'] | null;
  position_bias: PairwiseResult['position_bias'] | null;
  judgments: JudgmentCounts;
  method: Record<string, unknown>;
}

export interface ResultOptions {
  mode: ArenaMode;
  models: readonly string[];
  baseline: string | null;
  patterns: readonly Pattern[] | null;
  expected: number;
  skipped: number;
  rounds: number;
  seed: number;
}

/** Reads every reply with the patterns and ranks the models. Pure: the same lines, patterns and seed give the same results. */
export function arenaResults(lines: readonly JudgmentLine[], o: ResultOptions): ArenaResults {
  const index = new Map(o.models.map((m, i) => [m, i]));
  const counts: JudgmentCounts = { expected: o.expected, skipped: o.skipped, failed: 0, parsed: 0, unparsed: { none: 0, conflict: 0, invalid: 0 }, rules: {} };
  const read = <T>(line: JudgmentLine, parse: (reply: string) => Parsed<T>): T | null => {
    if (line.reply === null) {
      counts.failed++;
      return null;
    }
    const p = parse(line.reply);
    if (p.problem !== null) counts.unparsed[p.problem]++;
    else {
      counts.parsed++;
      counts.rules[p.rule!] = (counts.rules[p.rule!] ?? 0) + 1;
    }
    return p.value;
  };
  const bootstrap = { rounds: o.rounds, seed: o.seed, unit: 'question', interval: 0.95 };
  if (o.mode === 'single') {
    const graded: ScoreJudgment[] = lines
      .filter((l) => l.kind === 'single' && index.has(l.a))
      .map((l) => ({ question: l.question, model: index.get(l.a)!, score: read(l, (r) => parseScore(r, o.patterns ?? undefined)) }));
    return {
      leaderboard: rankSingle(o.models, graded, o),
      win_matrix: null,
      position_bias: null,
      judgments: counts,
      method: { kind: 'single-answer grading', score: 'mean of 1-10 grades', bootstrap },
    };
  }
  const baseline = o.baseline === null ? null : index.get(o.baseline)!;
  const pairs: PairJudgment[] = lines
    .filter((l) => l.kind === 'pair' && index.has(l.a) && l.b !== null && index.has(l.b))
    .map((l) => ({ question: l.question, a: index.get(l.a)!, b: index.get(l.b!)!, verdict: read(l, (r) => parseVerdict(r, o.patterns ?? undefined)) }));
  const ranked = rankPairwise(o.models, pairs, { baseline, rounds: o.rounds, seed: o.seed });
  return {
    ...ranked,
    judgments: counts,
    method: {
      kind: 'Bradley-Terry maximum likelihood',
      scale: SCALE,
      base: BASE,
      anchor: baseline === null ? 'mean rating 1000' : `${o.baseline} at 1000`,
      strong_win_weight: STRONG_WIN_WEIGHT,
      prior: `${DEFAULT_PRIOR} extra win each way per pair that met (one virtual tie), so an unbeaten model gets a finite rating`,
      bootstrap,
    },
  };
}
