import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { ItemResult } from '../eval/index.js';
import { readJsonlFile } from '../jsonl/read-jsonl.js';
import { taskKey, type EvalTask } from './eval-runner.js';

/**
 * Answers already in a stopped run's items.jsonl, keyed by step, benchmark, item and sample, as
 * results to aggregate with the new ones. A line cut by a crash is skipped: that item is asked
 * again.
 */
export function loadResumed(path: string, tasks: readonly EvalTask[]): Map<string, ItemResult> {
  const out = new Map<string, ItemResult>();
  const byId = new Map(tasks.map((t) => [`${t.adapter.name}|${t.item.id}`, t]));
  // A line cut by a crash, last or not (the sink starts a fresh line after it): that item is asked again.
  const askAgain = (line: number): void => void process.stderr.write(`warning: ${path}:${line} is not a whole line; its item is asked again\n`);
  for (const { line, value } of readJsonlFile(path, { onCut: askAgain, onBadLine: askAgain })) {
    if (value === null || typeof value !== 'object') {
      askAgain(line);
      continue;
    }
    const r = value as Record<string, unknown>;
    const task = byId.get(`${String(r.benchmark)}|${String(r.id)}`);
    if (!task) continue; // an item this run does not ask (other flags): ignored
    const sample = typeof r.sample === 'number' ? r.sample : 0;
    const result: ItemResult = {
      benchmark: task.adapter.name,
      subset: task.item.subset,
      categories: task.item.categories,
      id: task.item.id,
      sample,
      prompt: String(r.prompt ?? ''),
      reply: typeof r.reply === 'string' ? r.reply : null,
      extracted: { answer: typeof r.extracted === 'string' ? r.extracted : null, rule: String(r.rule ?? '') },
      gold: task.item.gold,
      score: Number(r.score ?? 0),
    };
    if (r.secondary && typeof r.secondary === 'object') result.secondary = r.secondary as Record<string, number>;
    if (typeof r.error === 'string') result.error = r.error;
    out.set(taskKey(Number(r.step ?? 0), { benchmark: result.benchmark, id: result.id, sample }), result);
  }
  return out;
}

/** What one engine session writes in a run folder; eval.json and items.jsonl span sessions. */
const SESSION_FILES = ['requests.jsonl', 'intervals.jsonl', 'summary.json', 'histograms.json', 'report.html'];

/**
 * Before a resumed eval asks anything, the stopped session's latency files move to
 * `session-<n>/` with a copy of run.json, a run folder `evalperf report` reads (a lost summary
 * rebuilt from its requests.jsonl). Appended to, requests.jsonl would hold two sessions whose
 * times count from different starts (a rebuilt summary then shows twice the concurrency), and a
 * line the crash cut would sit in the middle of the file, where a report refuses it. The folder's
 * own latency files are then the resumed session's, as its summary.json is. Returns the folder
 * made, or null when the stopped session left none of those files.
 */
export function setAsideSession(dir: string): string | null {
  const present = SESSION_FILES.filter((f) => existsSync(join(dir, f)));
  if (present.length === 0) return null;
  let n = 1;
  while (existsSync(join(dir, `session-${n}`))) n++;
  const to = join(dir, `session-${n}`);
  mkdirSync(to);
  if (existsSync(join(dir, 'run.json'))) copyFileSync(join(dir, 'run.json'), join(to, 'run.json'));
  for (const f of present) renameSync(join(dir, f), join(to, f));
  return to;
}
