import { existsSync, readFileSync } from 'node:fs';
import type { ItemResult } from '../eval/index.js';
import { taskKey, type EvalTask } from './eval-runner.js';

/**
 * Answers already in a stopped run's items.jsonl, keyed by step, benchmark, item and sample, as
 * results to aggregate with the new ones. A line cut by a crash is skipped: that item is asked
 * again.
 */
export function loadResumed(path: string, tasks: readonly EvalTask[]): Map<string, ItemResult> {
  const out = new Map<string, ItemResult>();
  if (!existsSync(path)) return out;
  const byId = new Map(tasks.map((t) => [`${t.adapter.name}|${t.item.id}`, t]));
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line) as Record<string, unknown>;
    } catch {
      // A line cut by a crash (the sink starts a fresh line after it): that item is asked again.
      process.stderr.write(`warning: ${path}:${i + 1} is not a whole line; its item is asked again\n`);
      return;
    }
    const task = byId.get(`${String(r.benchmark)}|${String(r.id)}`);
    if (!task) return; // an item this run does not ask (other flags): ignored
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
  });
  return out;
}
