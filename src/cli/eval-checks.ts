import type { RunPlan } from '../config/run-plan.js';
import { checkRequest, TargetError } from '../client/check-request.js';
import { taskBody, type EvalTask } from './eval-runner.js';
import type { ReadyTarget } from './target-setup.js';

/**
 * Logprob scoring needs top_logprobs in the answers; a server that drops them would make every
 * item unparsed. One question first, so that is one clear error instead.
 */
export async function checkLogprobs(ready: ReadyTarget, plan: RunPlan, task: EvalTask): Promise<void> {
  const { target } = ready;
  const init = { method: 'POST' as const, headers: ready.headers, body: taskBody(task, ready.model, plan.shape) };
  const { text } = await checkRequest(target, target.origin + target.endpointPath, init, { insecure: plan.insecure, timeoutMs: 60_000 });
  let body: { choices?: { logprobs?: { content?: unknown[]; top_logprobs?: unknown[] } | null }[] } | null;
  try {
    body = JSON.parse(text) as typeof body;
  } catch (e) {
    throw new TargetError(`checking logprobs at ${target.display}: ${(e as Error).message}`);
  }
  const lp = body?.choices?.[0]?.logprobs;
  if (!lp || !(Array.isArray(lp.content) ? lp.content.length : Array.isArray(lp.top_logprobs) ? lp.top_logprobs.length : 0)) {
    throw new TargetError(`${target.display} returned no top_logprobs for --mode logprob: use --mode generative (the default), or a server that returns logprobs`);
  }
}
