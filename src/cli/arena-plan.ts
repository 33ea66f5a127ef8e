import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ARENA_MODES, type ArenaMode } from '../arena/battles.js';
import { checkNames, parseJudgeSpec, parseModelSpec, resolveKey, type KeySource, type ModelSpec } from '../arena/model-spec.js';
import { checkTemplate, type JudgeKind } from '../arena/prompts.js';
import { parseQuestions, type Question } from '../arena/questions.js';
import { compilePattern, type Pattern } from '../arena/verdict.js';
import { buildRunPlan, type RunOptions as LoadOptions, type RunPlan } from '../config/run-plan.js';
import { resolveTarget, type ApiKind } from '../config/target.js';
import type { TargetPlan } from './target-setup.js';
import { UsageError } from './usage-error.js';

/** `evalperf arena`'s options as yargs hands them over. */
export interface ArenaOptions extends Omit<LoadOptions, 'model' | 'number' | 'duration' | 'warmup' | 'inputTokens' | 'slo'> {
  model?: string[];
  judge?: string;
  questions?: string;
  mode: ArenaMode;
  baseline?: string;
  judgePrompt?: string;
  verdictPattern?: string[];
  printPrompt: boolean;
  judgeMaxTokens: number;
  limit?: number;
  bootstrap: number;
  resume?: string;
}

/** A model or the judge, ready for withTarget. */
export interface Participant {
  spec: ModelSpec;
  target: TargetPlan;
  keySource: KeySource;
  /** URL (as shown, no credentials) and the requested model: answers and verdicts are reused only for the same source. */
  source: string;
}

export interface ArenaPlan {
  /** Load level, workers, timeout, output folder, seed... shared by every session. */
  run: RunPlan;
  mode: ArenaMode;
  kind: JudgeKind;
  models: Participant[];
  judge: Participant;
  baseline: string | null;
  questions: Question[];
  questionsFile: string;
  /** The user's judge prompt, or null for the built-in ones. */
  template: string | null;
  templateSource: string;
  /** The user's verdict patterns, or null for the built-in ones. */
  patterns: Pattern[] | null;
  rounds: number;
}

export const DEFAULT_QUESTIONS = fileURLToPath(new URL('../../datasets/arena-questions.jsonl', import.meta.url));

function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function readText(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${flag} ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function wholeNumber(value: number | undefined, flag: string, min: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) throw new UsageError(`${flag} ${value}: must be a whole number >= ${min}`);
}

/** yargs turns a flag given twice into an array: for a flag that names one thing, that is a mistake to report. */
function once(value: unknown, flag: string): void {
  if (Array.isArray(value)) throw new UsageError(`${flag} is given more than once: give it once`);
}

export function arenaPlan(o: ArenaOptions, env: NodeJS.ProcessEnv = process.env): ArenaPlan {
  for (const [v, flag] of [[o.judge, '--judge'], [o.questions, '--questions'], [o.baseline, '--baseline'], [o.judgePrompt, '--judge-prompt'], [o.resume, '--resume']] as const) once(v, flag);
  if (o.url !== undefined) throw new UsageError('arena takes its servers from --model name=URL#model and --judge URL#model, not --url');
  if (o.simFaults !== undefined) throw new UsageError('--sim-faults is for the built-in simulator, which arena does not use: point --model at evalperf serve --faults ... instead');
  if (!ARENA_MODES.includes(o.mode)) throw new UsageError(`--mode ${o.mode}: expected ${ARENA_MODES.join(', ')}`);
  const specs = usage(() => (o.model ?? []).map(parseModelSpec));
  usage(() => checkNames(specs));
  const least = o.mode === 'single' ? 1 : 2;
  if (specs.length < least) throw new UsageError(`--mode ${o.mode} needs at least ${least} models: --model name=URL#model for each`);
  if (o.judge === undefined) throw new UsageError('name the judge: --judge URL#model (its key from EVALPERF_KEY_JUDGE, --api-key or OPENAI_API_KEY)');
  const judgeSpec = usage(() => parseJudgeSpec(o.judge!));
  let baseline: string | null = null;
  if (o.baseline !== undefined) {
    if (o.mode === 'single') throw new UsageError('--baseline is for --mode baseline or pairwise: single-answer grading compares no pairs');
    if (!specs.some((s) => s.name === o.baseline)) throw new UsageError(`--baseline ${o.baseline}: not one of the models (${specs.map((s) => s.name).join(', ')})`);
    baseline = o.baseline;
  } else if (o.mode === 'baseline') baseline = specs[0]!.name;
  wholeNumber(o.maxTokens, '--max-tokens', 1);
  wholeNumber(o.judgeMaxTokens, '--judge-max-tokens', 1);
  wholeNumber(o.limit, '--limit', 1);
  wholeNumber(o.bootstrap, '--bootstrap', 0);
  const run = usage(() => buildRunPlan({ ...o, url: undefined, model: undefined, warmup: 0, inputTokens: 1 }, env, availableParallelism()));
  if (run.steps.length > 1) throw new UsageError('arena runs at one load level: give one --parallel (or --rate) value');

  const kind: JudgeKind = o.mode === 'single' ? 'single' : 'pair';
  const template = o.judgePrompt === undefined ? null : readText(o.judgePrompt, '--judge-prompt');
  if (template !== null) usage(() => checkTemplate(template, kind, o.judgePrompt!));
  const questionsFile = o.questions ?? DEFAULT_QUESTIONS;
  const questions = usage(() => parseQuestions(readText(questionsFile, '--questions'), questionsFile)).slice(0, o.limit);
  const api = run.shape.api as ApiKind;
  const participant = (spec: ModelSpec, shape: TargetPlan['shape']): Participant => {
    const target = usage(() => {
      try {
        return resolveTarget(spec.url, o.api === undefined ? null : api);
      } catch (e) {
        throw new Error(`${spec.name === judgeSpec.name ? '--judge' : `--model ${spec.name}`}: ${(e as Error).message}`);
      }
    });
    const { key, source: keySource } = resolveKey(spec.name, o.apiKey, env);
    return { spec, keySource, source: `${target.display}#${spec.model ?? ''}`, target: { target, model: spec.model, apiKey: key, headers: run.headers, shape, insecure: run.insecure, simFaults: [] } };
  };
  return {
    run,
    mode: o.mode,
    kind,
    // Answers: the user's temperature, else 0 (greedy: the answer a model stands behind).
    models: specs.map((s) => participant(s, { ...run.shape, temperature: run.shape.temperature ?? 0 })),
    // The judge: always greedy, its own max_tokens, and no --extra-body (that is for the models).
    judge: participant(judgeSpec, { ...run.shape, maxTokens: o.judgeMaxTokens, temperature: 0, extraBody: null }),
    baseline,
    questions,
    questionsFile,
    template,
    templateSource: o.judgePrompt ?? 'built-in',
    patterns: o.verdictPattern === undefined ? null : usage(() => o.verdictPattern!.map(compilePattern)),
    rounds: o.bootstrap,
  };
}
