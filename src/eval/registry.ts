/**
 * The benchmarks by name, for `evalperf eval --list` and for looking one up from the command line.
 */
import { arcChallenge, arcEasy } from './benchmarks/arc.js';
import { ceval, cmmlu } from './benchmarks/chinese.js';
import { gsm8k } from './benchmarks/gsm8k.js';
import { hellaswag } from './benchmarks/hellaswag.js';
import { humaneval } from './benchmarks/humaneval.js';
import { math, math500 } from './benchmarks/math.js';
import { mmlu } from './benchmarks/mmlu.js';
import { truthfulqaMc1, truthfulqaMc2Gen } from './benchmarks/truthfulqa.js';
import { checkShots } from './data/select.js';
import type { ApiKind, BenchmarkAdapter, EvalMode, RunOptions } from './types.js';

export const BENCHMARKS: readonly BenchmarkAdapter[] = [
  gsm8k,
  mmlu,
  cmmlu,
  ceval,
  arcEasy,
  arcChallenge,
  hellaswag,
  truthfulqaMc1,
  truthfulqaMc2Gen,
  math,
  math500,
  humaneval,
];

/** Spellings people use for the same benchmark. */
const ALIASES: Record<string, string> = {
  'c-eval': 'ceval',
  'arc-easy': 'arc_easy',
  'arc-challenge': 'arc_challenge',
  'math-500': 'math500',
  math_500: 'math500',
  truthfulqa: 'truthfulqa_mc1',
  'truthfulqa-mc1': 'truthfulqa_mc1',
  'truthfulqa-mc2': 'truthfulqa_mc2_gen',
  truthfulqa_mc2: 'truthfulqa_mc2_gen',
  'human-eval': 'humaneval',
};

export function listBenchmarks(): readonly BenchmarkAdapter[] {
  return BENCHMARKS;
}

export function getBenchmark(name: string): BenchmarkAdapter {
  const key = name.trim().toLowerCase();
  const found = BENCHMARKS.find((b) => b.name === (ALIASES[key] ?? key));
  if (!found) throw new Error(`unknown benchmark ${JSON.stringify(name)} (known: ${BENCHMARKS.map((b) => b.name).join(', ')})`);
  return found;
}

/** Run options with the benchmark's defaults filled in, checked; errors are one line. */
export function runOptions(
  adapter: BenchmarkAdapter,
  given: { api: ApiKind; mode?: EvalMode; shots?: number; maxTokens?: number; topLogprobs?: number; temperature?: number },
): RunOptions {
  const run: RunOptions = { api: given.api, mode: given.mode ?? 'generative', shots: given.shots ?? adapter.describe.defaultShots };
  if (given.maxTokens !== undefined) run.maxTokens = given.maxTokens;
  if (given.topLogprobs !== undefined) run.topLogprobs = given.topLogprobs;
  if (given.temperature !== undefined) run.temperature = given.temperature;
  if (!adapter.describe.modes.includes(run.mode)) {
    throw new Error(`${adapter.name}: --mode ${run.mode} is not supported (supported: ${adapter.describe.modes.join(', ')})`);
  }
  checkShots(adapter.name, run.shots, adapter.describe.maxShots);
  return run;
}

/** One row of `evalperf eval --list`. */
export function describeRow(b: BenchmarkAdapter): Record<string, string | number> {
  const d = b.describe;
  return {
    name: b.name,
    title: d.title,
    split: `${d.split} (${d.size})`,
    shots: d.maxShots === 0 ? '0' : `0-${d.maxShots}${d.fewshotSplit ? ` from ${d.fewshotSplit}` : ''}`,
    modes: d.modes.join(', '),
    subsets: d.subsets?.length ?? 0,
    license: d.license,
    hub: d.hubRepo,
  };
}
