import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pairsFor } from '../arena/battles.js';
import { renderPrompt, templateFor } from '../arena/prompts.js';
import type { JudgmentLine } from '../arena/results.js';
import { parseScore, parseVerdict } from '../arena/verdict.js';
import type { AnswerLine } from './arena-answers.js';
import { openCache, readCache } from './arena-files.js';
import type { ArenaPlan } from './arena-plan.js';
import { runListSession } from './arena-session.js';
import type { ReadyTarget } from './target-setup.js';
import { say } from './output.js';

/** One request to the judge. */
export interface JudgeTask {
  line: Omit<JudgmentLine, 'reply' | 'error'>;
  prompt: string;
  /** sha256 of the prompt: a verdict is reused only for exactly the same prompt (question, answers, template). */
  sha: string;
}

/** judgments.jsonl: a JudgmentLine plus the judge's source, the prompt's hash and the verdict as read when it came. */
type StoredJudgment = JudgmentLine & { judge: string; model: string; prompt_sha256: string };

export const judgmentsPath = (dir: string) => join(dir, 'judgments.jsonl');
const keyOf = (l: Pick<JudgmentLine, 'kind' | 'question' | 'a' | 'b'>, sha: string) => `${l.kind}|${l.question}|${l.a}|${l.b ?? ''}|${sha}`;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * What the mode asks the judge: per question, each answer (single), or each pair in both
 * orders (A/B swapped). A task whose answer is missing (its request failed) is skipped and counted.
 */
export function judgeTasks(plan: ArenaPlan, answers: ReadonlyMap<string, ReadonlyMap<string, AnswerLine>>): { tasks: JudgeTask[]; skipped: number } {
  const names = plan.models.map((m) => m.spec.name);
  const tasks: JudgeTask[] = [];
  let skipped = 0;
  for (const q of plan.questions) {
    const template = templateFor(plan.kind, plan.template, q.reference !== null);
    const answer = (name: string) => answers.get(name)?.get(q.id)?.answer ?? null;
    const add = (a: string, b: string | null, prompt: string) => tasks.push({ line: { kind: plan.kind, question: q.id, a, b }, prompt, sha: sha256(prompt) });
    if (plan.mode === 'single') {
      for (const name of names) {
        const text = answer(name);
        if (text === null) skipped++;
        else add(name, null, renderPrompt(template, { question: q.question, reference: q.reference, answer: text }));
      }
      continue;
    }
    const baseline = plan.baseline === null ? null : names.indexOf(plan.baseline);
    for (const [i, j] of pairsFor(plan.mode, names.length, baseline)) {
      for (const [a, b] of [[names[i]!, names[j]!], [names[j]!, names[i]!]] as const) {
        const [ta, tb] = [answer(a), answer(b)];
        if (ta === null || tb === null) skipped++;
        else add(a, b, renderPrompt(template, { question: q.question, reference: q.reference, answer_a: ta, answer_b: tb }));
      }
    }
  }
  return { tasks, skipped };
}

/** Replies already in judgments.jsonl for these tasks from the same judge: a task counts as done only with a reply. */
export function cachedJudgments(dir: string, plan: ArenaPlan, tasks: readonly JudgeTask[]): { done: Map<JudgeTask, JudgmentLine>; model: string | null } {
  const judge = plan.judge;
  const cached = new Map<string, JudgmentLine>();
  let model = judge.spec.model;
  for (const l of readCache(judgmentsPath(dir)) as Partial<StoredJudgment>[]) {
    if (l.judge !== judge.source || typeof l.reply !== 'string' || typeof l.prompt_sha256 !== 'string' || (l.kind !== 'pair' && l.kind !== 'single')) continue;
    if (typeof l.model === 'string') model = l.model;
    cached.set(keyOf(l as StoredJudgment, l.prompt_sha256), { kind: l.kind, question: String(l.question), a: String(l.a), b: l.b ?? null, reply: l.reply, error: null });
  }
  const done = new Map<JudgeTask, JudgmentLine>();
  for (const t of tasks) {
    const hit = cached.get(keyOf(t.line, t.sha));
    if (hit) done.set(t, hit);
  }
  return { done, model };
}

/**
 * Asks the judge every task not in `done`, in one engine session, appending each reply to
 * judgments.jsonl as it comes (failed requests too, so they are counted; a resume asks them
 * again). `done` gains a line per finished task.
 */
export async function askJudge(dir: string, plan: ArenaPlan, ready: ReadyTarget, tasks: readonly JudgeTask[], done: Map<JudgeTask, JudgmentLine>): Promise<{ stopped: boolean }> {
  const pending = tasks.filter((t) => !done.has(t));
  say(`judge: ${pending.length} judgment${pending.length === 1 ? '' : 's'} to make${done.size > 0 ? ` (${done.size} cached)` : ''} at ${ready.target.display}`);
  const sink = openCache(judgmentsPath(dir));
  try {
    const result = await runListSession({
      dir,
      run: plan.run,
      who: plan.judge,
      ready,
      prompts: pending.map((t) => t.prompt),
      onRecord: (i, r) => {
        const t = pending[i]!;
        const ok = r.errorClass === null && r.reply != null;
        const line: JudgmentLine = { ...t.line, reply: ok ? r.reply!.text : null, error: ok ? null : `${r.errorClass ?? 'no reply'}${r.errorMessage ? `: ${r.errorMessage}` : ''}` };
        done.set(t, line);
        // The verdict as read now is for people reading the file; results always re-read the reply.
        const read = line.reply === null ? null : t.line.kind === 'single' ? parseScore(line.reply, plan.patterns ?? undefined).value : parseVerdict(line.reply, plan.patterns ?? undefined).value;
        sink.writeLines([JSON.stringify({ ...line, verdict: read, judge: plan.judge.source, model: ready.model, prompt_sha256: t.sha })]);
      },
    });
    return { stopped: result.stopped !== 'no' };
  } finally {
    sink.close();
  }
}
