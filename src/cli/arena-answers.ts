import { join } from 'node:path';
import type { Question } from '../arena/questions.js';
import type { ArenaPlan, Participant } from './arena-plan.js';
import { openCache, readCache } from './arena-files.js';
import { runListSession } from './arena-session.js';
import type { ReadyTarget } from './target-setup.js';
import { say } from './output.js';

/** One answers/<name>.jsonl line, written as the answer arrives. */
export interface AnswerLine {
  id: string;
  question: string;
  /** Where it came from (URL#model as given): a cached answer counts only for the same source. */
  source: string;
  /** The served model id. */
  model: string;
  answer: string | null;
  error: string | null;
  finish_reason: string | null;
  output_tokens: number | null;
}

export interface ModelAnswers {
  /** Good answers by question id, cached and new. */
  answers: Map<string, AnswerLine>;
  failed: number;
  /** The served model id, when known (asked now, or from a cached answer). */
  model: string | null;
  /** The session stopped early (Ctrl-C, or an engine error). */
  stopped: boolean;
}

export const answersPath = (dir: string, name: string) => join(dir, 'answers', `${name}.jsonl`);

/** Good answers kept from an earlier run for these questions (same text) from the same source; the last line wins. */
export function cachedAnswers(path: string, questions: readonly Question[], source: string): Map<string, AnswerLine> {
  const text = new Map(questions.map((q) => [q.id, q.question]));
  const out = new Map<string, AnswerLine>();
  for (const l of readCache(path) as Partial<AnswerLine>[]) {
    if (typeof l.id === 'string' && typeof l.answer === 'string' && l.source === source && text.get(l.id) === l.question) out.set(l.id, l as AnswerLine);
  }
  return out;
}

/**
 * Asks a model the questions it has no cached answer for, in one engine session, appending
 * each answer to answers/<name>.jsonl as it arrives. `answers` (the cached ones) gains the new
 * good answers.
 */
export async function askModel(dir: string, plan: ArenaPlan, who: Participant, ready: ReadyTarget, answers: Map<string, AnswerLine>): Promise<ModelAnswers> {
  const path = answersPath(dir, who.spec.name);
  const pending = plan.questions.filter((q) => !answers.has(q.id));
  say(`${who.spec.name}: asking ${pending.length} question${pending.length === 1 ? '' : 's'}${answers.size > 0 ? ` (${answers.size} cached)` : ''} at ${ready.target.display}`);
  const sink = openCache(path);
  let failed = 0;
  try {
    const result = await runListSession({
      dir,
      run: plan.run,
      who,
      ready,
      prompts: pending.map((q) => q.question),
      onRecord: (i, r) => {
        const q = pending[i]!;
        const ok = r.errorClass === null && r.reply != null;
        const line: AnswerLine = {
          id: q.id,
          question: q.question,
          source: who.source,
          model: ready.model,
          answer: ok ? r.reply!.text : null,
          error: ok ? null : `${r.errorClass ?? 'no reply'}${r.errorMessage ? `: ${r.errorMessage}` : ''}`,
          finish_reason: r.reply?.finishReason ?? null,
          output_tokens: ok ? r.outputTokens : null,
        };
        sink.writeLines([JSON.stringify(line)]);
        if (ok) answers.set(q.id, line);
        else failed++;
      },
    });
    if (failed > 0) say(`${who.spec.name}: ${failed} answer${failed === 1 ? '' : 's'} failed (see ${path}); the verdicts that need them are skipped, a resume asks again`);
    return { answers, failed, model: ready.model, stopped: result.stopped !== 'no' };
  } finally {
    sink.close();
  }
}
