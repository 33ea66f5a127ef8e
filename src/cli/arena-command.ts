import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderArenaText } from '../arena/document.js';
import { renderArenaHtml } from '../arena/html.js';
import { DEFAULT_PROMPTS } from '../arena/prompts.js';
import { arenaResults } from '../arena/results.js';
import { loadPageAssets } from '../report/html-page.js';
import { answersPath, askModel, cachedAnswers, type AnswerLine, type ModelAnswers } from './arena-answers.js';
import { checkResumeDir, writeJson } from './arena-files.js';
import { askJudge, cachedJudgments, judgeTasks } from './arena-judge.js';
import { arenaDocument, arenaRunJson } from './arena-output.js';
import { arenaPlan, type ArenaOptions, type ArenaPlan, type Participant } from './arena-plan.js';
import { createRunDir } from './run-output.js';
import { withTarget, type ReadyTarget } from './target-setup.js';
import { say } from './output.js';

/**
 * `evalperf arena`: each model's answers, then the judge's verdicts, each through the engine
 * at the run's load level; then ratings. What is cached in the run folder is not asked again,
 * and a server with nothing left to answer is not contacted at all.
 */
export async function arenaCommand(o: ArenaOptions): Promise<number> {
  if (o.printPrompt) {
    const kind = o.mode === 'single' ? 'single' : 'pair';
    process.stdout.write(`${DEFAULT_PROMPTS[kind].plain}\n`);
    say(`(the built-in ${kind === 'pair' ? 'pairwise' : 'single-answer'} judge prompt; for a question with a reference answer it adds a [Reference answer] block with {reference})`);
    return 0;
  }
  const plan = arenaPlan(o);
  if (o.resume !== undefined) checkResumeDir(o.resume);
  const cached = new Map(plan.models.map((m) => [m, o.resume === undefined ? new Map<string, AnswerLine>() : cachedAnswers(answersPath(o.resume, m.spec.name), plan.questions, m.source)]));
  const toAsk = plan.models.filter((m) => cached.get(m)!.size < plan.questions.length);
  // With every answer cached the judge's tasks are known now: it is needed only for those not yet judged.
  const judgeNeeded = toAsk.length > 0 || (o.resume !== undefined && unjudged(o.resume, plan, cached) > 0);
  // Every server that has work is checked before any load is sent, so a wrong judge URL is
  // found before the models answer, not after.
  return withTargets([...toAsk, ...(judgeNeeded ? [plan.judge] : [])], async (ready) => {
    const dir = o.resume ?? createRunDir(plan.run.outDir, 'arena');
    if (o.resume === undefined) writeJson(join(dir, 'run.json'), arenaRunJson(plan));
    say(`arena: ${plan.mode}, ${plan.models.length} models, ${plan.questions.length} questions, output ${dir}`);
    return execute(dir, plan, o.json, cached, ready);
  });
}

async function execute(dir: string, plan: ArenaPlan, json: boolean, cached: Map<Participant, Map<string, AnswerLine>>, ready: ReadonlyMap<Participant, ReadyTarget>): Promise<number> {
  const answers = new Map<string, ModelAnswers>();
  let stopped = false;
  for (const m of plan.models) {
    const own = cached.get(m)!;
    const r = ready.get(m);
    if (r && !stopped) {
      const got = await askModel(dir, plan, m, r, own);
      answers.set(m.spec.name, got);
      stopped = got.stopped;
    } else {
      if (!r) say(`${m.spec.name}: all ${own.size} answers cached`);
      answers.set(m.spec.name, { answers: own, failed: 0, model: own.values().next().value?.model ?? m.spec.model, stopped: false });
    }
  }
  const { tasks, skipped } = judgeTasks(plan, new Map([...answers].map(([k, v]) => [k, v.answers])));
  const { done, model } = cachedJudgments(dir, plan, tasks);
  const judge = ready.get(plan.judge);
  if (done.size < tasks.length && judge && !stopped) stopped = (await askJudge(dir, plan, judge, tasks, done)).stopped;
  else if (tasks.length > 0) say(`judge: ${done.size} of ${tasks.length} verdicts cached`);
  const results = arenaResults(
    tasks.flatMap((t) => done.get(t) ?? []),
    { mode: plan.mode, models: plan.models.map((m) => m.spec.name), baseline: plan.baseline, patterns: plan.patterns, expected: tasks.length + skipped, skipped, rounds: plan.rounds, seed: plan.run.seed },
  );
  const doc = arenaDocument(plan, answers, results, judge?.model ?? model, !stopped && done.size === tasks.length);
  writeJson(join(dir, 'arena.json'), doc);
  try {
    writeFileSync(join(dir, 'arena.html'), renderArenaHtml(doc, loadPageAssets()));
  } catch (e) {
    say(`warning: ${join(dir, 'arena.html')} not written (${(e as Error).message})`);
  }
  if (json) process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  else process.stdout.write(`\n${renderArenaText(doc)}\n\nwritten to ${dir} (arena.html; each server's latency in latency/<name>)\n`);
  if (stopped) {
    say(`stopped before the end: continue with the same flags and --resume ${dir}`);
    return 1;
  }
  if (tasks.length === 0) {
    say(`nothing to judge: the answers the judge needed all failed (see ${join(dir, 'answers')})`);
    return 1;
  }
  if (results.judgments.parsed === 0) {
    say(`no usable verdict: every judgment failed or could not be read (see ${join(dir, 'judgments.jsonl')}; --verdict-pattern reads other formats)`);
    return 1;
  }
  return 0;
}

/** Judge tasks over the cached answers that have no cached verdict. */
function unjudged(dir: string, plan: ArenaPlan, cached: ReadonlyMap<Participant, Map<string, AnswerLine>>): number {
  const { tasks } = judgeTasks(plan, new Map([...cached].map(([m, a]) => [m.spec.name, a])));
  return tasks.length - cachedJudgments(dir, plan, tasks).done.size;
}

/** withTarget for several participants at once: each is checked in turn, then `use` runs with them all. */
function withTargets<T>(list: readonly Participant[], use: (ready: ReadonlyMap<Participant, ReadyTarget>) => Promise<T>): Promise<T> {
  const ready = new Map<Participant, ReadyTarget>();
  const from = (i: number): Promise<T> =>
    i === list.length
      ? use(ready)
      : withTarget(list[i]!.target, (r) => {
          ready.set(list[i]!, r);
          return from(i + 1);
        });
  return from(0);
}
