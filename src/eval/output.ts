/**
 * The files of an accuracy run (DESIGN.md, Output contract): `eval.json` (schema
 * `evalperf.eval/1`) and one `items.jsonl` line per scored item. The contract's keys keep their
 * names and meaning; the extra keys here are allowed additions. Key names are snake_case like the
 * rest of the output files.
 */
import type { Aggregate, GroupScore } from './aggregate.js';
import type { BenchmarkAdapter, ItemResult, RunOptions } from './types.js';

export const EVAL_SCHEMA = 'evalperf.eval/1';

export interface BenchmarkEntry {
  metric: string;
  score: number;
  n: number;
  correct: number;
  unparsed: number;
  mode: string;
  shots: number;
  template: string;
  extraction: string;
  subsets: Record<string, { score: number; n: number; correct: number; unparsed: number }>;
  // ---- additions ----
  failed: number;
  micro: number;
  macro: number;
  categories: Record<string, { score: number; n: number; macro: number; subsets: number }>;
  api: string;
  split: string;
  checker?: string;
  approximation?: string;
  secondary?: Record<string, { score: number; description: string }>;
  pass_at_k?: Record<string, number>;
  [extra: string]: unknown;
}

/**
 * One benchmark's entry from its aggregate and the options it ran with. `extra` is merged last
 * (the CLI's place for e.g. `data_source`, `sandbox`, `duration_s`).
 */
export function benchmarkEntry(adapter: BenchmarkAdapter, run: RunOptions, agg: Aggregate, extra: Record<string, unknown> = {}): BenchmarkEntry {
  const m = adapter.method(run);
  const entry: BenchmarkEntry = {
    metric: m.metric,
    score: agg.score,
    n: agg.n,
    correct: agg.correct,
    unparsed: agg.unparsed,
    mode: run.mode,
    shots: run.shots,
    template: m.template,
    extraction: m.extraction,
    subsets: mapValues(agg.subsets, (s: GroupScore) => ({ score: s.score, n: s.n, correct: s.correct, unparsed: s.unparsed })),
    failed: agg.failed,
    micro: agg.micro,
    macro: agg.macro,
    categories: mapValues(agg.categories, (c) => ({ score: c.score, n: c.n, macro: c.macro, subsets: c.subsets })),
    api: run.api,
    split: adapter.describe.split,
  };
  if (m.checker) entry.checker = m.checker;
  if (m.approximation) entry.approximation = m.approximation;
  if (m.secondary) {
    entry.secondary = mapValues(m.secondary, (description, k) => ({ score: agg.secondary[k] ?? 0, description }));
  }
  if (Object.keys(agg.passAtK).some((k) => k !== '1') || adapter.describe.executesCode) entry.pass_at_k = agg.passAtK;
  return { ...entry, ...extra };
}

export function evalJson(entries: Record<string, BenchmarkEntry>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schema: EVAL_SCHEMA, ...extra, benchmarks: entries };
}

/** One items.jsonl record; `itemLine` is the same as a line of text. */
export function itemRecord(r: ItemResult): Record<string, unknown> {
  const rec: Record<string, unknown> = {
    benchmark: r.benchmark,
    subset: r.subset,
    id: r.id,
    prompt: r.prompt,
    reply: r.reply,
    extracted: r.extracted.answer,
    gold: r.gold,
    score: r.score,
    rule: r.extracted.rule,
  };
  if (r.sample !== 0) rec.sample = r.sample;
  if (r.extracted.secondary) rec.extracted_secondary = mapValues(r.extracted.secondary, (e) => e.answer);
  if (r.secondary) rec.secondary = r.secondary;
  if (r.finishReason !== undefined && r.finishReason !== null) rec.finish_reason = r.finishReason;
  if (r.error !== undefined) rec.error = r.error;
  if (r.execution) {
    rec.execution = { status: r.execution.status, exit_code: r.execution.exitCode, duration_ms: r.execution.durationMs, stderr: r.execution.stderr };
  }
  return rec;
}

export function itemLine(r: ItemResult): string {
  return `${JSON.stringify(itemRecord(r))}\n`;
}

function mapValues<A, B>(o: Record<string, A>, f: (a: A, k: string) => B): Record<string, B> {
  const out: Record<string, B> = {};
  for (const [k, v] of Object.entries(o)) out[k] = f(v, k);
  return out;
}
