import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { buildRunPlan, type RunOptions as LoadOptions, type RunPlan, type StepPlan } from '../config/run-plan.js';
import { formatArrival } from '../load/arrivals.js';
import type { StepLoad } from '../metrics/summary.js';
import type { RunResult } from '../engine/engine.js';
import { aggregate, benchmarkEntry, createSandbox, DataError, describeRow, evalJson, getBenchmark, hubSource, listBenchmarks, localSource, runOptions, type BenchmarkEntry, type ItemResult, type Sandbox } from '../eval/index.js';
import { describeLoad } from '../report/charts.js';
import { renderSummaryTables } from '../report/summary-table.js';
import { writeRunReport } from '../report/write-report.js';
import { checkLogprobs } from './eval-checks.js';
import { loadResumed, setAsideSession } from './eval-resume.js';
import { runEvalStep, taskKey, type EvalTask } from './eval-runner.js';
import { createRunDir, summaryDocument, writeResultFiles, writeRunJson } from './run-output.js';
import { withTarget, type ReadyTarget } from './target-setup.js';
import { UsageError } from './usage-error.js';
import { EXIT_ALL_FAILED, EXIT_OK, say } from './output.js';

export interface EvalOptions extends Omit<LoadOptions, 'number' | 'duration' | 'warmup' | 'maxTokens' | 'inputTokens' | 'slo' | 'json'> {
  benchmark?: string | string[];
  list: boolean;
  subset?: string | string[];
  limit?: number;
  shots?: number;
  mode?: 'generative' | 'logprob';
  maxTokens?: number;
  samples: number;
  dataDir?: string;
  allowCodeExecution: boolean;
  resume?: string;
  json: boolean;
}

/** A comma list; a flag given twice arrives as an array and means both. */
const csv = (s: string | string[] | undefined) => [s ?? []].flat().flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);

/** `evalperf eval`: benchmarks -> questions -> the engine, per load level -> scores. */
export async function evalCommand(o: EvalOptions): Promise<number> {
  if (o.list) {
    console.table(listBenchmarks().map(describeRow));
    return EXIT_OK;
  }
  const { plan, adapters, subsets } = evalPlan(o);
  if (adapters.some((a) => a.describe.executesCode) && !o.allowCodeExecution) {
    throw new UsageError('humaneval runs the model\'s code: add --allow-code-execution to run it in the sandbox (python3 -I, time, memory and process limits)');
  }
  const source = o.dataDir ? localSource(o.dataDir) : hubSource({ onDownload: (url) => say(`downloading ${url}`) });
  const tasks: EvalTask[] = [];
  for (const adapter of adapters) {
    const run = usage(() => runOptions(adapter, { api: plan.shape.api, ...(o.mode && { mode: o.mode }), ...(o.shots !== undefined && { shots: o.shots }), ...(o.maxTokens !== undefined && { maxTokens: o.maxTokens }), temperature: o.temperature ?? 0 }));
    let items;
    try {
      items = await adapter.load(source, { shots: run.shots, seed: plan.seed, ...(subsets && { subsets }), ...(o.limit !== undefined && { limit: o.limit }) });
    } catch (e) {
      throw e instanceof DataError ? new UsageError(e.message) : e;
    }
    for (const item of items) for (let k = 0; k < o.samples; k++) tasks.push({ adapter, run, item, request: adapter.request(item, run), sample: k });
  }
  say(`${tasks.length} questions: ${adapters.map((a) => a.name).join(', ')}${o.samples > 1 ? ` (${o.samples} samples each)` : ''}`);
  const sandbox = adapters.some((a) => a.describe.executesCode) ? await createSandbox({}) : undefined;
  return withTarget(plan, (ready) => execute(o, plan, ready, tasks, sandbox));
}

function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function evalPlan(o: EvalOptions): { plan: RunPlan; adapters: ReturnType<typeof getBenchmark>[]; subsets: string[] | null } {
  const names = csv(o.benchmark);
  if (names.length === 0) throw new UsageError('name the benchmarks: --benchmark gsm8k,mmlu (evalperf eval --list shows them)');
  const adapters = names.map((n) => usage(() => getBenchmark(n)));
  const subsets = o.subset === undefined ? null : csv(o.subset);
  if (subsets && adapters.length !== 1) throw new UsageError('--subset names subsets of one benchmark: give exactly one --benchmark with it');
  if (!Number.isInteger(o.samples) || o.samples < 1) throw new UsageError(`--samples ${o.samples}: must be a whole number >= 1`);
  if (o.samples > 1 && !((o.temperature ?? 0) > 0)) throw new UsageError('--samples above 1 asks the same question again: set --temperature > 0 (e.g. 0.8) so the answers differ');
  if (o.limit !== undefined && (!Number.isInteger(o.limit) || o.limit < 1)) throw new UsageError(`--limit ${o.limit}: must be a whole number >= 1`);
  const plan = usage(() => buildRunPlan({ ...o, warmup: 0, maxTokens: 1, inputTokens: 1, json: o.json }, process.env, availableParallelism()));
  return { plan, adapters, subsets };
}

async function execute(o: EvalOptions, plan: RunPlan, ready: ReadyTarget, tasks: EvalTask[], sandbox: Sandbox | undefined): Promise<number> {
  const { target, model } = ready;
  if (tasks.some((t) => t.run.mode === 'logprob')) await checkLogprobs(ready, plan, tasks.find((t) => t.run.mode === 'logprob')!);
  const id = { url: target.display, model, api: target.api, simulated: ready.simulator !== null };
  let dir: string;
  let done = new Map<string, ItemResult>();
  if (o.resume !== undefined) {
    if (!existsSync(join(o.resume, 'run.json'))) throw new UsageError(`--resume ${o.resume}: not a run folder (no run.json there)`);
    dir = o.resume;
    done = loadResumed(join(dir, 'items.jsonl'), tasks);
    say(`resuming ${dir}: ${done.size} answers kept`);
  } else {
    dir = createRunDir(plan.outDir, model);
    // The plan was built with placeholders for what each question sets itself (prompt, max_tokens, count).
    const benchmarks = [...new Set(tasks.map((t) => t.adapter.name))];
    const asRun: RunPlan = { ...plan, steps: plan.steps.map((st) => ({ ...st, number: tasks.length, durationMs: null })), shape: { ...plan.shape, maxTokens: null } };
    writeRunJson(dir, asRun, id, {
      dataset: `${benchmarks.join(', ')}: ${tasks.length} questions (${o.dataDir ? `from ${o.dataDir}` : 'from the hub'}); prompts and max_tokens per benchmark`,
      eval: { benchmarks, samples: o.samples, data: o.dataDir ?? 'hub' },
      ...(ready.simulator && { simulator: ready.simulator }),
    });
  }
  say(`target ${target.display}  model ${model}  output ${dir}`);
  const startedAt = new Date();
  const runs: RunResult[] = [];
  const byStep: ItemResult[][] = [];
  for (let step = 0; step < plan.steps.length; step++) {
    const kept = tasks.filter((t) => done.has(taskKey(step, { benchmark: t.adapter.name, id: t.item.id, sample: t.sample })));
    const pending = tasks.filter((t) => !done.has(taskKey(step, { benchmark: t.adapter.name, id: t.item.id, sample: t.sample })));
    const resumed = kept.map((t) => done.get(taskKey(step, { benchmark: t.adapter.name, id: t.item.id, sample: t.sample }))!);
    if (pending.length === 0) {
      byStep.push(resumed);
      continue;
    }
    if (o.resume !== undefined && runs.length === 0) {
      const earlier = setAsideSession(dir);
      if (earlier) say(`the stopped session's latency files moved to ${earlier}`);
    }
    const { run, results } = await runEvalStep({ dir, ready, shape: plan.shape, step, totalSteps: plan.steps.length, plan: plan.steps[step]!, tasks: pending, workers: plan.workers, timeoutMs: plan.timeoutMs, seed: plan.seed, tui: plan.tui, insecure: plan.insecure, sandbox, ...(runs[0] && { runStart: runs[0].runStart }) });
    runs.push(run);
    byStep.push([...resumed, ...results]);
    if (run.stopped !== 'no') break;
  }
  const evalDoc = evalDocument(tasks, byStep, plan, sandbox);
  writeFileSync(join(dir, 'eval.json'), JSON.stringify(evalDoc, null, 2) + '\n');
  if (runs.length > 0) {
    const merged: RunResult = { ...runs[0]!, steps: runs.flatMap((r) => r.steps), stopped: runs.at(-1)!.stopped, error: runs.find((r) => r.error)?.error ?? null, sloStop: null };
    writeResultFiles(dir, summaryDocument(id, merged, startedAt), merged);
    await writeRunReport(dir, say);
  }
  if (o.json) process.stdout.write(JSON.stringify(evalDoc, null, 2) + '\n');
  else process.stdout.write(`\n${renderAccuracy(evalDoc)}\n${runs.length > 0 ? `\n${renderSummaryTables(runs.flatMap((r) => r.steps.map((s) => s.summary)))}\n` : ''}\nwritten to ${dir}\n`);
  const all = byStep.flat();
  return all.length > 0 && all.every((r) => r.error !== undefined) ? EXIT_ALL_FAILED : EXIT_OK;
}

type EvalDoc = ReturnType<typeof evalJson> & { steps?: { step: number; load: StepLoad; benchmarks: Record<string, BenchmarkEntry> }[] };

/** A step's load as summary.json names it. */
const loadOf = (p: StepPlan): StepLoad => ({ mode: p.mode, parallel: p.parallel, rate: p.rate, arrival: p.arrival ? formatArrival(p.arrival) : null });

function evalDocument(tasks: EvalTask[], byStep: ItemResult[][], plan: RunPlan, sandbox: Sandbox | undefined): EvalDoc {
  const adapters = [...new Map(tasks.map((t) => [t.adapter.name, t])).values()];
  // Code benchmarks say how the model's programs were isolated.
  const extra = (t: EvalTask) => (t.adapter.describe.executesCode && sandbox ? { sandbox: sandbox.info } : {});
  const entries = (results: ItemResult[]) =>
    Object.fromEntries(adapters.map((t) => [t.adapter.name, benchmarkEntry(t.adapter, t.run, aggregate(results.filter((r) => r.benchmark === t.adapter.name), { passK: passK(tasks) }), extra(t))]));
  const doc: EvalDoc = evalJson(entries(byStep[0] ?? []));
  if (plan.steps.length > 1) doc.steps = byStep.map((results, step) => ({ step, load: loadOf(plan.steps[step]!), benchmarks: entries(results) }));
  return doc;
}

function passK(tasks: EvalTask[]): number[] {
  const n = Math.max(1, ...tasks.map((t) => t.sample + 1));
  return [1, 10, 100].filter((k) => k <= n);
}

function renderAccuracy(doc: EvalDoc): string {
  const steps: { step: number; load: StepLoad | null; benchmarks: Record<string, BenchmarkEntry> }[] = doc.steps ?? [{ step: 0, load: null, benchmarks: doc.benchmarks as Record<string, BenchmarkEntry> }];
  const lines = [`${'benchmark'.padEnd(22)}${'metric'.padEnd(16)}${'score'.padStart(8)}${'n'.padStart(7)}${'correct'.padStart(9)}${'unparsed'.padStart(10)}${'failed'.padStart(8)}`];
  for (const s of steps) {
    if (steps.length > 1 && s.load) lines.push(`step ${s.step + 1}/${steps.length}: ${describeLoad(s.load)}`);
    for (const [name, e] of Object.entries(s.benchmarks)) {
      lines.push(`${name.padEnd(22)}${e.metric.padEnd(16)}${(e.score * 100).toFixed(1).padStart(7)}%${String(e.n).padStart(7)}${String(e.correct).padStart(9)}${String(e.unparsed).padStart(10)}${String(e.failed).padStart(8)}`);
    }
  }
  return lines.join('\n');
}
