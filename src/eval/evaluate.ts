/**
 * Reply -> ItemResult: extract, score, and keep what items.jsonl needs. The engine side calls
 * this once per finished request (or failedResult when the request failed), then aggregate().
 */
import type { BenchmarkAdapter, EvalItem, EvalRequest, ItemResult, ReplyInfo, RunOptions, ScoreContext } from './types.js';

const STDERR_KEPT = 2000;

export async function evaluateReply(
  adapter: BenchmarkAdapter,
  item: EvalItem,
  run: RunOptions,
  request: EvalRequest,
  reply: ReplyInfo,
  ctx: ScoreContext & { sample?: number } = {},
): Promise<ItemResult> {
  const extracted = adapter.extract(reply, item, run);
  let execution: ItemResult['execution'];
  const score = await adapter.score(extracted, item, {
    ...ctx,
    onRun: (r) => {
      // The end of stderr holds the traceback's last line: the reason a test failed.
      execution = { status: r.status, exitCode: r.exitCode, durationMs: Math.round(r.durationMs), stderr: r.stderr.slice(-STDERR_KEPT) };
      ctx.onRun?.(r);
    },
  });
  const result: ItemResult = {
    benchmark: item.benchmark,
    subset: item.subset,
    categories: item.categories,
    id: item.id,
    sample: ctx.sample ?? 0,
    prompt: request.display,
    reply: reply.text,
    extracted,
    gold: item.gold,
    score,
  };
  const secondary = adapter.secondaryScores?.(extracted, item);
  if (secondary) result.secondary = secondary;
  if (reply.finishReason !== undefined) result.finishReason = reply.finishReason;
  if (execution) result.execution = execution;
  return result;
}

/** A request that got no usable reply: scored 0, counted in n and in `failed`. */
export function failedResult(
  adapter: BenchmarkAdapter,
  item: EvalItem,
  run: RunOptions,
  request: EvalRequest,
  error: string,
  sample = 0,
): ItemResult {
  const secondary = Object.fromEntries(Object.keys(adapter.method(run).secondary ?? {}).map((k) => [k, 0]));
  const result: ItemResult = {
    benchmark: item.benchmark,
    subset: item.subset,
    categories: item.categories,
    id: item.id,
    sample,
    prompt: request.display,
    reply: null,
    extracted: { answer: null, rule: 'request-failed' },
    gold: item.gold,
    score: 0,
    error,
  };
  if (Object.keys(secondary).length > 0) result.secondary = secondary;
  return result;
}
