import { createHash } from 'node:crypto';
import { ARENA_SCHEMA, type ArenaDocument } from '../arena/document.js';
import { DEFAULT_PROMPTS } from '../arena/prompts.js';
import type { ArenaResults } from '../arena/results.js';
import { DEFAULT_SCORE_PATTERNS, DEFAULT_VERDICT_PATTERNS } from '../arena/verdict.js';
import type { ModelAnswers } from './arena-answers.js';
import { ARENA_RUN_SCHEMA } from './arena-files.js';
import type { ArenaPlan, Participant } from './arena-plan.js';
import { TOOL_VERSION } from './version.js';

const tool = { name: 'evalperf', version: TOOL_VERSION };
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function patternsShown(plan: ArenaPlan): string[] {
  const list = plan.patterns ?? (plan.kind === 'single' ? DEFAULT_SCORE_PATTERNS : DEFAULT_VERDICT_PATTERNS);
  return list.map((p) => p.regex.toString());
}

/** run.json of the arena folder: what was asked of whom; keys only by where they came from. */
export function arenaRunJson(plan: ArenaPlan): Record<string, unknown> {
  const who = (p: Participant) => ({ name: p.spec.name, url: p.target.target!.display, model: p.spec.model, key_from: p.keySource });
  return {
    schema: ARENA_RUN_SCHEMA,
    tool,
    node: process.version,
    started_at: new Date().toISOString(),
    mode: plan.mode,
    baseline: plan.baseline,
    models: plan.models.map(who),
    judge: who(plan.judge),
    questions: { file: plan.questionsFile, n: plan.questions.length },
    prompt: plan.templateSource,
    verdict_patterns: patternsShown(plan),
    request: { ...plan.run.shape, judge_max_tokens: plan.judge.target.shape.maxTokens },
    load: plan.run.steps[0],
    workers: plan.run.workers,
    timeout_ms: plan.run.timeoutMs,
    seed: plan.run.seed,
    bootstrap_rounds: plan.rounds,
  };
}

/** arena.json from the plan, the answers and the results. */
export function arenaDocument(plan: ArenaPlan, answers: ReadonlyMap<string, ModelAnswers>, results: ArenaResults, judgeModel: string | null, complete: boolean): ArenaDocument {
  const categories: Record<string, number> = {};
  for (const q of plan.questions) if (q.category !== null) categories[q.category] = (categories[q.category] ?? 0) + 1;
  const template = plan.template ?? Object.values(DEFAULT_PROMPTS[plan.kind]).join('\n');
  return {
    schema: ARENA_SCHEMA,
    tool,
    mode: plan.mode,
    complete,
    baseline: plan.baseline,
    leaderboard: results.leaderboard,
    win_matrix: results.win_matrix,
    position_bias: results.position_bias,
    judgments: results.judgments,
    method: results.method,
    judge: { url: plan.judge.target.target!.display, model: judgeModel },
    models: plan.models.map((m) => {
      const a = answers.get(m.spec.name);
      return { name: m.spec.name, url: m.target.target!.display, model: a?.model ?? m.spec.model, answers: a?.answers.size ?? 0, failed: a?.failed ?? 0 };
    }),
    questions: { file: plan.questionsFile, n: plan.questions.length, categories },
    prompt: { source: plan.templateSource, sha256: sha256(template) },
    verdict_patterns: patternsShown(plan),
  };
}
