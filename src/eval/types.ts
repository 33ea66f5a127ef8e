/**
 * The contract between the accuracy benchmarks (pure: load, prompt, extract, score) and whoever
 * sends the requests. Every benchmark is one BenchmarkAdapter; the caller never needs to know
 * which one it holds.
 *
 *   items = await adapter.load(source, { shots, seed, subsets, limit })
 *   for each item:  req = adapter.request(item, run)            -> send req.body
 *                   ex  = adapter.extract(reply, item, run)      -> the answer, or null (unparsed)
 *                   s   = await adapter.score(ex, item, ctx)     -> 0..1
 *
 * All functions are deterministic: the same item, options and reply give the same result.
 */
import type { ApiKind } from '../config/target.js';
import type { DataSource } from './data/source.js';
import type { Sandbox, SandboxResult } from './sandbox/sandbox.js';

export type { ApiKind };
export type EvalMode = 'generative' | 'logprob';

/** One few-shot example, already resolved from the benchmark's few-shot split. */
export interface FewShot {
  question: string;
  choices?: string[];
  /** The target as the prompt shows it: a letter for multiple choice, a worked solution for GSM8K. */
  answer: string;
}

export interface EvalItem {
  benchmark: string;
  /** Stable within the benchmark and data source (task id, `<subject>/<row>`, ...). */
  id: string;
  /** Subject or split the item is reported under (`abstract_algebra`, `main`, ...). */
  subset: string;
  /** Categories the item counts towards (CMMLU subjects can sit in two); [] when none. */
  categories: string[];
  /** The question, problem, context (HellaSwag) or function prompt (HumanEval). */
  question: string;
  /** Options in display order (already shuffled where the benchmark needs it), lettered A, B, ... */
  choices?: string[];
  /** Letter, letters (MC2-gen: the true ones, sorted), number, LaTeX answer, or the entry point. */
  gold: string;
  fewshot: FewShot[];
  /** HumanEval only: what the checker runs. */
  code?: { test: string; entryPoint: string; canonical: string };
  /** Extra fields kept for reports (MATH level, source row, ...). */
  meta?: Record<string, string | number>;
}

export interface LoadOptions {
  /** Only these subsets (subjects); unknown names are an error. */
  subsets?: string[];
  /** At most this many items, taken round-robin over subsets so every subject is represented. */
  limit?: number;
  shots: number;
  /** Seeds the option shuffles (TruthfulQA). */
  seed: number;
}

export interface RunOptions {
  mode: EvalMode;
  shots: number;
  api: ApiKind;
  /** Overrides the benchmark's default `max_tokens` (generative mode). */
  maxTokens?: number;
  /** `top_logprobs` asked for in logprob mode (default 20, the usual server maximum). */
  topLogprobs?: number;
  /** Default 0. */
  temperature?: number;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** OpenAI request body fields, everything but `model`, `stream` and `stream_options`. */
export interface RequestBody {
  messages?: ChatMessage[];
  prompt?: string;
  max_tokens: number;
  temperature: number;
  stop?: string[];
  /** chat: `true` with `top_logprobs`; completions: the number of top log-probabilities. */
  logprobs?: boolean | number;
  top_logprobs?: number;
}

export interface EvalRequest {
  api: ApiKind;
  body: RequestBody;
  /**
   * The prompt as one text, for items.jsonl: the user message when there is only one, else the
   * turns headed `[user]` / `[assistant]`; the prompt itself for the completions API.
   */
  display: string;
}

export interface ReplyInfo {
  /** The reply's `content` (not `reasoning_content`): what the answer is extracted from. */
  text: string;
  /**
   * Per generated position, token -> log-probability of the top alternatives. Logprob mode reads
   * position 0 only.
   */
  topLogprobs?: Record<string, number>[];
  finishReason?: string | null;
}

export interface Extraction {
  answer: string | null;
  /** Which rule produced the answer (`answer-line`, `boxed`, ...) or why none did. */
  rule: string;
}

export interface Extracted extends Extraction {
  /** Further extractions scored as extra metrics (GSM8K: `strict`). */
  secondary?: Record<string, Extraction>;
}

export interface ScoreContext {
  /** Needed by benchmarks that execute model output (HumanEval); the user must opt in. */
  sandbox?: Sandbox;
  /** Told the outcome of each program run, for items.jsonl. */
  onRun?: (result: SandboxResult) => void;
}

/** How a result was produced: written into eval.json next to the score. */
export interface Method {
  metric: string;
  template: string;
  extraction: string;
  /** The equivalence check (MATH), when it is more than string or letter equality. */
  checker?: string;
  /** Set when the figure only approximates the reference harness (logprob ARC, HellaSwag, ...). */
  approximation?: string;
  /** Extra metrics and what they mean (GSM8K strict). */
  secondary?: Record<string, string>;
}

export interface BenchmarkInfo {
  title: string;
  license: string;
  /** The split that is scored and its official size. */
  split: string;
  size: number;
  /** Where few-shot examples come from; absent when the benchmark is 0-shot only. */
  fewshotSplit?: string;
  maxShots: number;
  defaultShots: number;
  modes: EvalMode[];
  subsets?: string[];
  /** Hugging Face dataset repo the hub source reads. */
  hubRepo: string;
  /** Folder under --data-dir, in the layout of the shared datasets folder. */
  localDir: string;
  /** True when scoring runs model-written code. */
  executesCode?: boolean;
}

export interface BenchmarkAdapter {
  name: string;
  describe: BenchmarkInfo;
  load(source: DataSource, opts: LoadOptions): Promise<EvalItem[]>;
  request(item: EvalItem, opts: RunOptions): EvalRequest;
  extract(reply: ReplyInfo, item: EvalItem, opts: RunOptions): Extracted;
  score(extracted: Extracted, item: EvalItem, ctx?: ScoreContext): number | Promise<number>;
  /** Scores of the extra metrics (keys of Method.secondary). */
  secondaryScores?(extracted: Extracted, item: EvalItem): Record<string, number>;
  method(opts: RunOptions): Method;
}

/** One scored item: the input of aggregate() and itemLine(). */
export interface ItemResult {
  benchmark: string;
  subset: string;
  categories: string[];
  id: string;
  /** Sample index when an item is asked several times (pass@k); 0 otherwise. */
  sample: number;
  prompt: string;
  /** null when the request failed (then `error` says why). */
  reply: string | null;
  extracted: Extracted;
  gold: string;
  score: number;
  secondary?: Record<string, number>;
  error?: string;
  finishReason?: string | null;
  /** HumanEval: how the program ran. */
  execution?: { status: string; exitCode: number | null; durationMs: number; stderr: string };
}
