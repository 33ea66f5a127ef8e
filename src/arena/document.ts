import type { ArenaMode } from './battles.js';
import type { RatingEntry, ScoreEntry } from './leaderboard.js';
import type { ArenaResults } from './results.js';

export const ARENA_SCHEMA = 'evalperf.arena/1';

/** arena.json: what ran and what came of it. URLs are shown without credentials; keys never appear. */
export interface ArenaDocument extends ArenaResults {
  schema: typeof ARENA_SCHEMA;
  tool: { name: string; version: string };
  mode: ArenaMode;
  /** false when the run stopped before every answer and verdict was in: resume it to finish. */
  complete: boolean;
  baseline: string | null;
  judge: { url: string; model: string | null };
  models: { name: string; url: string; model: string | null; answers: number; failed: number }[];
  questions: { file: string; n: number; categories: Record<string, number> };
  prompt: { source: string; sha256: string };
  verdict_patterns: string[];
}

export const isScoreBoard = (doc: Pick<ArenaDocument, 'mode'>, board: ArenaDocument['leaderboard']): board is ScoreEntry[] => doc.mode === 'single';

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null, digits: number) => (x === null ? '-' : x.toFixed(digits));
const ci = (c: [number, number] | null, digits: number) => (c === null ? '-' : `${c[0].toFixed(digits)} .. ${c[1].toFixed(digits)}`);

/** The leaderboard and the judge's health, for the terminal: plain text, no colour codes. */
export function renderArenaText(doc: ArenaDocument): string {
  const width = Math.max(12, ...doc.models.map((m) => m.name.length + 2));
  const lines = [`arena: ${doc.mode}${doc.baseline ? ` against ${doc.baseline}` : ''}, ${doc.models.length} models, ${doc.questions.n} questions, judge ${doc.judge.model ?? doc.judge.url}${doc.complete ? '' : '  (INCOMPLETE: resume to finish)'}`];
  if (isScoreBoard(doc, doc.leaderboard)) {
    lines.push(`${'rank'.padStart(4)}  ${'model'.padEnd(width)}${'score'.padStart(7)}  ${'95% CI'.padEnd(14)}${'graded'.padStart(7)}`);
    doc.leaderboard.forEach((e, i) => lines.push(`${String(i + 1).padStart(4)}  ${e.model.padEnd(width)}${num(e.score, 2).padStart(7)}  ${ci(e.ci, 2).padEnd(14)}${String(e.graded).padStart(7)}`));
  } else {
    const board = doc.leaderboard as RatingEntry[];
    lines.push(`${'rank'.padStart(4)}  ${'model'.padEnd(width)}${'rating'.padStart(8)}  ${'95% CI'.padEnd(18)}${(doc.baseline ? `vs ${doc.baseline}` : 'win rate').padStart(10)}   W / T / L`);
    board.forEach((e, i) => lines.push(`${String(i + 1).padStart(4)}  ${e.model.padEnd(width)}${num(e.rating, 1).padStart(8)}  ${ci(e.ci, 1).padEnd(18)}${pct(e.win_rate).padStart(10)}   ${e.wins} / ${e.ties} / ${e.losses}`));
  }
  const j = doc.judgments;
  const unparsed = j.unparsed.none + j.unparsed.conflict + j.unparsed.invalid;
  lines.push(
    `judgments: ${j.expected} to make, ${j.parsed} read, ${unparsed} unparsed (${j.unparsed.none} without a verdict, ${j.unparsed.conflict} conflicting, ${j.unparsed.invalid} out of range), ${j.failed} failed, ${j.skipped} skipped (answer missing)`,
  );
  const b = doc.position_bias;
  if (b) lines.push(`position bias: the first answer won ${pct(b.first_share)} of decided verdicts (${b.first} first, ${b.second} second, ${b.ties} ties); both orders agree on ${pct(b.consistency)} of ${b.pairs} pairs`);
  return lines.join('\n');
}
