import type { RequestShape } from '../client/request-body.js';
import type { MaxTokensPlan } from '../datasets/bodies.js';
import { formatLength } from '../datasets/lengths.js';
import { promptPlan } from './prompt-plan.js';
import type { PromptPlan } from '../datasets/prompt-source.js';
import { parseArrival, type ArrivalSpec } from '../load/arrivals.js';
import type { Slo } from '../metrics/derive.js';
import { parseDuration } from './duration.js';
import { parseSlo } from './slo.js';
import { isPooling, resolveTarget, type ApiKind, type Target } from './target.js';
import { parseFaults, type FaultRate } from '../sim/faults.js';

/** One load level. A sweep is several steps run one after the other in one run. */
export interface StepPlan {
  mode: 'closed' | 'open';
  /** Closed loop: virtual users. Open loop: cap on requests in flight, or null. */
  parallel: number | null;
  rate: number | null;
  arrival: ArrivalSpec | null;
  number: number | null;
  durationMs: number | null;
}

/** Everything a run needs, decided before it starts. Immutable once built. */
export interface RunPlan {
  /** null: start the built-in simulator and target it. */
  target: Target | null;
  /** null: the first id of /v1/models. */
  model: string | null;
  apiKey: string | null;
  headers: Readonly<Record<string, string>>;
  /** max_tokens is the fixed --max-tokens, else null: `prompts` has the per-request rule. */
  shape: Omit<RequestShape, 'model'>;
  /** --input-tokens as run.json records it (`256:1024`); null when a dataset gives the prompts. */
  inputTokens: string | null;
  /** Dataset, tokenizer, lengths: settled into requests by datasets/prompt-source.ts. */
  prompts: PromptPlan;
  timeoutMs: number;
  slo: Slo | null;
  /** End the sweep after a step whose SLO attainment is below this (0..1]; null = run every step. */
  stopOnSlo: number | null;
  seed: number;
  steps: readonly StepPlan[];
  warmup: number;
  workers: number;
  pauseMs: number;
  outDir: string;
  tui: boolean;
  json: boolean;
  /** Skip TLS certificate verification (explicit --insecure only). */
  insecure: boolean;
  /** Faults for the built-in simulator (no --url only). */
  simFaults: readonly FaultRate[];
}

/** The `run` command's options as yargs hands them over. */
export interface RunOptions {
  url?: string;
  model?: string;
  api?: string;
  parallel?: number[];
  rate?: number[];
  arrival: string;
  number?: number[];
  duration?: string;
  warmup: number;
  maxTokens: number;
  inputTokens: number;
  dataset?: string;
  tokenizer?: string;
  prefixTokens?: number;
  ignoreEos?: boolean;
  turns?: string | number;
  documents?: number;
  images?: number;
  imageSize?: string;
  thinkTime?: string;
  stream: boolean;
  temperature?: number;
  extraBody?: string;
  apiKey?: string;
  header?: string[];
  timeout: string;
  workers?: number;
  out: string;
  tui: boolean;
  json: boolean;
  slo?: string;
  stopOnSlo?: number;
  seed: number;
  pause: string;
  simFaults?: string;
  insecure: boolean;
}

/**
 * What buildRunPlan takes: RunOptions, with the length flags as `run` types them: a number,
 * MIN:MAX or normal:MEAN,STDEV (and `dataset` for --max-tokens). Absent: --max-tokens is a
 * dataset line's own max_tokens, else 128; --input-tokens is 128.
 */
export type PlanOptions = Omit<RunOptions, 'maxTokens' | 'inputTokens'> & { maxTokens?: number | string; inputTokens?: number | string };

const API_KINDS: readonly ApiKind[] = ['chat', 'completions', 'embeddings', 'rerank'];

const DEFAULT_WORKERS = (cores: number) => Math.max(1, cores - 1);

function positiveInts(values: number[] | undefined, flag: string): number[] | undefined {
  if (values === undefined) return undefined;
  for (const v of values) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${flag} ${v}: must be a whole number >= 1`);
  }
  return values;
}

function positiveNumbers(values: number[] | undefined, flag: string): number[] | undefined {
  if (values === undefined) return undefined;
  for (const v of values) {
    if (!Number.isFinite(v) || v <= 0) throw new Error(`${flag} ${v}: must be a number > 0`);
  }
  return values;
}

function parseHeaders(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list) {
    const i = h.indexOf(':');
    const name = i > 0 ? h.slice(0, i).trim() : '';
    // The value may be a secret: name only the part before the first space or colon.
    const shown = JSON.stringify(h.split(/[\s:]/, 1)[0]!.slice(0, 40));
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) throw new Error(`--header ${shown}…: expected name:value, e.g. --header x-request-source:evalperf`);
    out[name.toLowerCase()] = h.slice(i + 1).trim();
  }
  return out;
}

function parseExtraBody(text: string | undefined): Record<string, unknown> | null {
  if (text === undefined) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error(`--extra-body is not valid JSON: quote it for the shell, e.g. --extra-body '{"top_p":0.9}'`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('--extra-body must be a JSON object, e.g. {"top_p":0.9}');
  return v as Record<string, unknown>;
}

/** A step's count: one value for all steps, or one per step. */
function perStep(values: number[] | undefined, steps: number, flag: string): (number | null)[] {
  if (values === undefined) return new Array(steps).fill(null);
  if (values.length === 1) return new Array(steps).fill(values[0]);
  if (values.length === steps) return values;
  throw new Error(`${flag} has ${values.length} values for ${steps} steps: give one value, or one per step`);
}

export function buildRunPlan(o: PlanOptions, env: NodeJS.ProcessEnv, cores: number): RunPlan {
  const api = o.api === undefined ? null : (o.api as ApiKind);
  if (api !== null && !API_KINDS.includes(api)) throw new Error(`--api ${o.api}: expected ${API_KINDS.join(', ')}`);
  const target = o.url === undefined ? null : resolveTarget(o.url, api);
  const apiKind = target?.api ?? api ?? 'chat';
  const parallel = positiveInts(o.parallel, '--parallel');
  const rate = positiveNumbers(o.rate, '--rate');
  const numbers = positiveInts(o.number, '--number');
  const durationMs = o.duration === undefined ? null : parseDuration(o.duration, '--duration');
  const arrival = parseArrival(o.arrival);

  let steps: StepPlan[];
  if (rate !== undefined) {
    if (parallel !== undefined && parallel.length > 1) throw new Error('--parallel with --rate is the in-flight cap and takes one value; sweep --rate instead');
    const cap = parallel?.[0] ?? null;
    const counts = perStep(numbers, rate.length, '--number');
    steps = rate.map((r, i) => ({ mode: 'open', parallel: cap, rate: r, arrival, number: counts[i]!, durationMs }));
  } else {
    const levels = parallel ?? [16];
    const counts = perStep(numbers, levels.length, '--number');
    steps = levels.map((p, i) => ({ mode: 'closed', parallel: p, rate: null, arrival: null, number: counts[i]!, durationMs }));
  }
  // Neither a count nor a duration: a short default run, sized to the load.
  for (const s of steps) {
    if (s.number === null && s.durationMs === null) {
      s.number = s.mode === 'closed' ? Math.max(100, 5 * s.parallel!) : Math.max(100, Math.ceil(s.rate! * 20));
    }
  }

  if (!Number.isInteger(o.warmup) || o.warmup < 0) throw new Error(`--warmup ${o.warmup}: must be a whole number >= 0`);
  const prompts = promptPlan(o, apiKind);
  if (prompts.turns !== null) {
    if (rate !== undefined) throw new Error('--turns: conversations are played by closed-loop users, turn after turn; use --parallel instead of --rate');
    if (apiKind !== 'chat') throw new Error('--turns: multi-turn conversations need the chat API; drop --api completions (or point --url at .../chat/completions)');
  }
  if (o.temperature !== undefined && !(o.temperature >= 0)) throw new Error(`--temperature ${o.temperature}: must be a number >= 0`);
  if (o.workers !== undefined && (!Number.isInteger(o.workers) || o.workers < 1 || o.workers > 64)) throw new Error(`--workers ${o.workers}: must be a whole number from 1 to 64`);
  if (!Number.isInteger(o.seed)) throw new Error(`--seed ${o.seed}: must be a whole number`);

  if (o.simFaults !== undefined && target !== null) throw new Error('--sim-faults is for the built-in simulator: drop --url, or run evalperf serve --faults ... and point --url at it');
  const apiKey = o.apiKey ?? env.OPENAI_API_KEY ?? null;
  return {
    target,
    model: o.model ?? null,
    apiKey: apiKey === '' ? null : apiKey,
    headers: parseHeaders(o.header ?? []),
    shape: {
      api: apiKind,
      maxTokens: isPooling(apiKind) ? null : fixedMaxTokens(prompts.maxTokens),
      temperature: o.temperature ?? null,
      // Embeddings and rerank answer with one JSON body: there is nothing to stream.
      stream: o.stream && !isPooling(apiKind),
      extraBody: parseExtraBody(o.extraBody),
    },
    inputTokens: prompts.dataset.format === 'random' ? formatLength(prompts.inputTokens) : null,
    prompts,
    timeoutMs: parseTimeout(o.timeout),
    slo: o.slo === undefined ? null : poolingSlo(parseSlo(o.slo), apiKind),
    stopOnSlo: parseStopOnSlo(o),
    seed: o.seed,
    steps,
    warmup: o.warmup,
    workers: o.workers ?? DEFAULT_WORKERS(cores),
    pauseMs: parseDuration(o.pause, '--pause', true),
    outDir: o.out,
    tui: o.tui,
    json: o.json,
    simFaults: o.simFaults === undefined ? [] : parseFaults(o.simFaults),
    insecure: o.insecure,
  };
}

/** One max_tokens for every request, or null when each request (or dataset line) has its own. */
function fixedMaxTokens(m: MaxTokensPlan): number | null {
  if (m.kind === 'default') return m.fallback;
  return m.kind === 'spec' && m.spec.kind === 'fixed' ? m.spec.value : null;
}

/** Embeddings and rerank have no first token and no output: only an end-to-end bound can hold. */
function poolingSlo(slo: Slo, api: ApiKind): Slo {
  if (isPooling(api) && (slo.ttft !== undefined || slo.tpot !== undefined)) throw new Error(`--slo: --api ${api} generates no tokens, so TTFT and TPOT never happen; bound the latency with e2e, e.g. --slo e2e<=200ms`);
  return slo;
}

function parseStopOnSlo(o: PlanOptions): number | null {
  const v = o.stopOnSlo;
  if (v === undefined) return null;
  if (!(v > 0 && v <= 1)) throw new Error(`--stop-on-slo ${v}: a fraction of requests within the SLO, above 0 and at most 1, e.g. --stop-on-slo 0.9`);
  if (o.slo === undefined) throw new Error('--stop-on-slo needs objectives to measure: add --slo, e.g. --slo ttft<=500ms,tpot<=50ms');
  return v;
}

/** Node timers hold at most 2^31 - 1 ms (24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function parseTimeout(text: string): number {
  const ms = parseDuration(text, '--timeout');
  if (ms > MAX_TIMER_MS) throw new Error(`--timeout ${text}: at most 24 days (e.g. --timeout 2h)`);
  return ms;
}
