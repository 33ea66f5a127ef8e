import { faultRatesProblem, type FaultRate } from './faults.js';
/**
 * Options of the built-in simulated inference server. `evalperf serve` flags map 1:1 onto these
 * fields; `evalperf run` without `--url` passes them to the child process as JSON.
 */
export interface SimOptions {
  /** Interface to listen on. */
  host: string;
  /** TCP port; 0 picks a free port. */
  port: number;
  /** Model id served by /v1/models and echoed in responses. */
  model: string;
  /** Prefill cost per prompt token admitted in a step (ms). */
  prefillMsPerToken: number;
  /** Fixed cost of one decode step (ms). */
  itlMs: number;
  /** Extra cost of one decode step per running sequence (ms). */
  itlMsPerSeq: number;
  /** Maximum sequences in the running batch (vLLM --max-num-seqs). */
  maxNumSeqs: number;
  /** Output length when a request carries no max_tokens. */
  defaultMaxTokens: number;
  /** Step duration is multiplied by (1 + jitter * u), u uniform in [-1, 1). 0..1. */
  jitter: number;
  /** Seed of the simulator's PRNG (jitter, min_tokens..max_tokens lengths). */
  seed: number;
  /** Reject requests whose `model` differs from `model` with 404, as vLLM does. */
  strictModel: boolean;
  /** Tests and benchmarks: append one JSONL line per request (fault, chunk write times; sim/request-log.ts). */
  requestLog: string | null;
  /** Faults to inject, each with its probability per request (sim/faults.ts). */
  faults: readonly FaultRate[];
  /** Close the socket after every streamed response while advertising keep-alive (llama.cpp's server does). */
  closeAfterStream: boolean;
  /** Put llama.cpp-style `timings` (prompt_ms, predicted_ms) in each response's final chunk. */
  timings: boolean;
}

export const DEFAULT_SIM_OPTIONS: SimOptions = Object.freeze({
  host: '127.0.0.1',
  port: 8000,
  model: 'sim-llm',
  prefillMsPerToken: 0.05,
  itlMs: 10,
  itlMsPerSeq: 0.05,
  maxNumSeqs: 256,
  defaultMaxTokens: 128,
  jitter: 0,
  seed: 1,
  strictModel: false,
  requestLog: null,
  faults: [],
  closeAfterStream: false,
  timings: false,
});

type Check = (v: unknown) => string | null;

const nonNegative: Check = (v) =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? null : 'must be a finite number >= 0';
const positiveInt: Check = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 ? null : 'must be an integer >= 1';

const CHECKS: { [K in keyof SimOptions]: Check } = {
  host: (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a non-empty string'),
  port: (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535
      ? null
      : 'must be an integer in 0..65535',
  model: (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a non-empty string'),
  prefillMsPerToken: nonNegative,
  itlMs: nonNegative,
  itlMsPerSeq: nonNegative,
  maxNumSeqs: positiveInt,
  defaultMaxTokens: positiveInt,
  jitter: (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1 ? null : 'must be a number in 0..1',
  seed: (v) => (typeof v === 'number' && Number.isInteger(v) ? null : 'must be an integer'),
  strictModel: (v) => (typeof v === 'boolean' ? null : 'must be a boolean'),
  requestLog: (v) => (v === null || (typeof v === 'string' && v.length > 0) ? null : 'must be a file path or null'),
  faults: (v) => (Array.isArray(v) ? faultRatesProblem(v as FaultRate[]) : 'must be a list of {kind, p}'),
  closeAfterStream: (v) => (typeof v === 'boolean' ? null : 'must be a boolean'),
  timings: (v) => (typeof v === 'boolean' ? null : 'must be a boolean'),
};

/** A bad simulator option; `key` lets the CLI name its flag. */
export class SimOptionError extends Error {
  constructor(
    readonly key: string,
    readonly problem: string,
    readonly value: unknown,
  ) {
    super(`simulator option ${key} ${problem} (got ${JSON.stringify(value)})`);
  }
}

/**
 * Merge a partial option object over DEFAULT_SIM_OPTIONS and validate every field.
 * Throws an Error naming the field on an unknown key or a bad value.
 */
export function resolveSimOptions(partial: unknown = {}): SimOptions {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
    throw new Error('simulator options must be an object');
  }
  const out: Record<string, unknown> = { ...DEFAULT_SIM_OPTIONS };
  for (const [key, value] of Object.entries(partial)) {
    if (!Object.prototype.hasOwnProperty.call(CHECKS, key)) {
      throw new SimOptionError(key, 'is not a simulator option', value);
    }
    if (value !== undefined) out[key] = value;
  }
  for (const key of Object.keys(CHECKS) as (keyof SimOptions)[]) {
    const problem = CHECKS[key](out[key]);
    if (problem) throw new SimOptionError(key, problem, out[key]);
  }
  return out as unknown as SimOptions;
}

/** One line describing the timing model, e.g. for the CLI banner. */
export function describeSim(o: SimOptions): string {
  let s =
    `simulator: itl ${o.itlMs}ms + ${o.itlMsPerSeq}ms/seq, ` +
    `prefill ${o.prefillMsPerToken}ms/token, max-num-seqs ${o.maxNumSeqs}`;
  if (o.jitter > 0) s += `, jitter ±${Math.round(o.jitter * 1000) / 10}%`;
  if (o.faults.length > 0) s += `, faults ${o.faults.map((f) => `${f.kind}:${f.p}`).join(',')}`;
  if (o.closeAfterStream) s += ', closes the socket after each stream';
  return s;
}
