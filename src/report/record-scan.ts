import type { ErrorClass, RequestRecord, TokenSource } from '../metrics/record.js';
import type { HistogramSet } from '../metrics/recorder.js';
import { BadInputError } from './input-error.js';
import { readJsonl } from './jsonl.js';
import { StepRebuilder, type RebuildPlan } from './rebuild.js';
import type { ErrorDigest, SavedStep, StepSeries } from './saved-run.js';
import { RecordSeriesBuilder } from './series.js';

/** Examples kept per failure class, and their length: enough to recognise, never the whole file. */
export const EXAMPLES_PER_CLASS = 3;
const EXAMPLE_CHARS = 400;

const num = (v: unknown): number => (typeof v === 'number' ? v : NaN);
/** How a success reads in a requests.jsonl line (record.ts writes it with JSON.stringify). */
const SUCCESS_MARK = '"error_class":null';

/** One requests.jsonl line (Output contract) -> a RequestRecord, times run-relative. */
function recordFromLine(v: unknown, where: string): RequestRecord {
  const o = (v !== null && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  const bad = (field: string, want: string) => new BadInputError(`${where}: "${field}" is missing or not ${want}: this is not a line evalperf wrote; fix or delete it`);
  if (!Number.isInteger(o.step) || (o.step as number) < 0) throw bad('step', 'a whole number >= 0');
  if (typeof o.end_at !== 'number') throw bad('end_at', 'a number');
  for (const f of ['scheduled_at', 'sent_at', 'headers_at', 'first_token_at', 'last_token_at']) {
    if (o[f] !== null && o[f] !== undefined && typeof o[f] !== 'number') throw bad(f, 'a number or null');
  }
  for (const f of ['input_tokens', 'output_tokens']) if (typeof o[f] !== 'number') throw bad(f, 'a number');
  if (o.error_class !== null && typeof o.error_class !== 'string') throw bad('error_class', 'a string or null');
  return {
    step: o.step as number,
    index: num(o.index),
    worker: num(o.worker),
    scheduledAt: num(o.scheduled_at),
    sentAt: num(o.sent_at),
    headersAt: num(o.headers_at),
    firstTokenAt: num(o.first_token_at),
    lastTokenAt: num(o.last_token_at),
    endAt: o.end_at,
    inputTokens: o.input_tokens as number,
    outputTokens: o.output_tokens as number,
    tokenSource: (typeof o.token_source === 'string' ? o.token_source : 'estimate') as TokenSource,
    contentEvents: typeof o.content_events === 'number' ? o.content_events : 0,
    status: num(o.status),
    errorClass: o.error_class as ErrorClass | null,
    errorMessage: typeof o.error === 'string' ? o.error : null,
    serverPromptMs: num(o.server_prompt_ms),
    serverPredictedMs: num(o.server_predicted_ms),
    conversation: num(o.conversation),
    turn: typeof o.turn === 'number' ? o.turn : 0,
    maxTokens: num(o.max_tokens),
  };
}

export interface ScanResult {
  errors: ErrorDigest[];
  /** Per-second series, when asked for. */
  series: StepSeries[] | null;
  /** Rebuilt steps 0..last step seen, when a rebuild plan was given. */
  steps: { summary: SavedStep; histograms: HistogramSet }[] | null;
}

/**
 * One streaming pass over requests.jsonl: failures by class with a few example messages,
 * and, when asked, per-second series and a rebuilt summary. Only counters, histograms and
 * two times per request are kept; never the records.
 */
export async function scanRecords(path: string, opts: { rebuild: RebuildPlan | null; series: boolean }, warn: (msg: string) => void): Promise<ScanResult> {
  const errors = new Map<string, ErrorDigest>();
  const series = opts.series ? new RecordSeriesBuilder() : null;
  const rebuilders: StepRebuilder[] = [];
  // With nothing to rebuild, only failures are needed: a success line is not even parsed.
  const onlyFailures = opts.rebuild === null && !opts.series;
  for await (const { line, value } of readJsonl(path, warn, onlyFailures ? (text) => text.includes(SUCCESS_MARK) : undefined)) {
    const r = recordFromLine(value, `${path} line ${line}`);
    series?.add(r);
    if (opts.rebuild !== null) {
      const load = opts.rebuild.loads[r.step];
      if (load === undefined) throw new BadInputError(`${path} line ${line}: step ${r.step}, but run.json plans ${opts.rebuild.loads.length} step(s): is run.json from another run?`);
      (rebuilders[r.step] ??= new StepRebuilder(load, opts.rebuild)).add(r);
    }
    if (r.errorClass !== null) addError(errors, r);
  }
  const plan = opts.rebuild;
  return {
    errors: [...errors.values()].sort((a, b) => b.count - a.count),
    series: series?.finish() ?? null,
    // A step with no record (stopped before it sent anything) stays in place, empty.
    steps: plan === null ? null : Array.from(rebuilders, (b, i) => (b ?? new StepRebuilder(plan.loads[i]!, plan)).finish()),
  };
}

function addError(errors: Map<string, ErrorDigest>, r: RequestRecord): void {
  const cls = r.errorClass!;
  let d = errors.get(cls);
  if (!d) errors.set(cls, (d = { errorClass: cls, count: 0, byStep: {}, examples: [] }));
  d.count++;
  d.byStep[r.step] = (d.byStep[r.step] ?? 0) + 1;
  const message = (r.errorMessage ?? '(no message)').slice(0, EXAMPLE_CHARS);
  // Distinct messages only: a thousand identical timeouts make one example.
  if (d.examples.length < EXAMPLES_PER_CLASS && !d.examples.some((e) => e.message === message)) {
    d.examples.push({ step: r.step, index: r.index, status: r.status, message });
  }
}
