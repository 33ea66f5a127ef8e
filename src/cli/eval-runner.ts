import { join } from 'node:path';
import type { RequestShape } from '../client/request-body.js';
import type { StepPlan } from '../config/run-plan.js';
import { estimateTokens } from '../datasets/synthetic.js';
import { JsonlSink } from '../engine/record-sink.js';
import type { RunResult } from '../engine/engine.js';
import { evaluateReply, failedResult, itemRecord, type BenchmarkAdapter, type EvalItem, type EvalRequest, type ItemResult, type RunOptions, type Sandbox } from '../eval/index.js';
import type { RequestRecord } from '../metrics/record.js';
import { runEngineSession } from './engine-session.js';
import type { ReadyTarget } from './target-setup.js';

/** One question to ask: an item of a benchmark, asked as sample k. */
export interface EvalTask {
  adapter: BenchmarkAdapter;
  run: RunOptions;
  item: EvalItem;
  request: EvalRequest;
  sample: number;
}

export const taskKey = (step: number, t: { benchmark: string; id: string; sample: number }) => `${step}|${t.benchmark}|${t.id}|${t.sample}`;

export interface EvalStepOptions {
  dir: string;
  ready: ReadyTarget;
  shape: Omit<RequestShape, 'model'>;
  step: number;
  totalSteps: number;
  plan: StepPlan;
  tasks: EvalTask[];
  workers: number;
  timeoutMs: number;
  seed: number;
  tui: boolean;
  insecure: boolean;
  sandbox: Sandbox | undefined;
  runStart?: number;
}

/** The JSON body of a task: the benchmark's body over the run's model, stream and extra body. */
export function taskBody(t: EvalTask, model: string, shape: Omit<RequestShape, 'model'>): string {
  // Logprob scoring reads a whole body: those requests are never streamed.
  const stream = shape.stream && t.run.mode !== 'logprob';
  return JSON.stringify({ model, stream, ...(stream && { stream_options: { include_usage: true } }), ...shape.extraBody, ...t.request.body });
}

/**
 * Asks one load level's questions through the engine and scores each reply as it arrives,
 * appending its items.jsonl line at once (so a stopped run keeps what it has). Resolves with
 * the engine's result and the scored items.
 */
export async function runEvalStep(o: EvalStepOptions): Promise<{ run: RunResult; results: ItemResult[] }> {
  const items = new JsonlSink(join(o.dir, 'items.jsonl'));
  const results: ItemResult[] = [];
  const scoring: Promise<void>[] = [];
  const score = async (t: EvalTask, r: RequestRecord) => {
    let res: ItemResult;
    if (r.errorClass !== null || !r.reply) res = failedResult(t.adapter, t.item, t.run, t.request, r.errorMessage ?? r.errorClass ?? 'no reply', t.sample);
    else {
      try {
        res = await evaluateReply(t.adapter, t.item, t.run, t.request, { text: r.reply.text, finishReason: r.reply.finishReason, ...(r.reply.topLogprobs && { topLogprobs: r.reply.topLogprobs }) }, { sample: t.sample, ...(o.sandbox && { sandbox: o.sandbox }) });
      } catch (e) {
        // A scoring failure (a sandbox error) costs this item, never the run.
        res = failedResult(t.adapter, t.item, t.run, t.request, `scoring failed: ${(e as Error).message}`, t.sample);
      }
    }
    results.push(res);
    items.writeLines([JSON.stringify({ step: o.step, ...itemRecord(res) })]);
  };
  try {
    const run = await runEngineSession({
      dir: o.dir,
      tui: o.tui,
      header: { url: o.ready.target.display, model: o.ready.model, outDir: o.dir, slo: false },
      ...(o.runStart !== undefined && { runStart: o.runStart }),
      extra: {
        records: (rs) => {
          for (const r of rs) scoring.push(score(o.tasks[r.index]!, r));
        },
      },
      config: {
        origin: o.ready.target.origin,
        endpointPath: o.ready.target.endpointPath,
        modelsPath: o.ready.target.modelsPath,
        headers: o.ready.headers,
        shape: { ...o.shape, model: o.ready.model },
        source: { kind: 'list', bodies: o.tasks.map((t) => taskBody(t, o.ready.model, o.shape)), inputTokens: o.tasks.map((t) => estimateTokens(t.request.display)) },
        collectText: true,
        insecure: o.insecure,
        timeoutMs: o.timeoutMs,
        slo: null,
        steps: [{ ...o.plan, number: o.tasks.length, durationMs: null }],
        warmup: 0,
        workers: o.workers,
        pauseMs: 0,
        seed: o.seed,
        firstStep: o.step,
        totalSteps: o.totalSteps,
      },
    });
    await Promise.all(scoring);
    return { run, results };
  } finally {
    items.close();
  }
}
