import type { RunPlan } from '../config/run-plan.js';
import { checkRequest, TargetError } from '../client/check-request.js';
import { errorBodyMessage } from '../client/errors.js';
import { secretValues } from '../client/redact.js';
import { taskBody, type EvalTask } from './eval-runner.js';
import { checked, type ReadyTarget } from './target-setup.js';

/**
 * Logprob scoring needs top_logprobs in the answers; a server that drops them would make every
 * item unparsed. One question first, so that is one clear error instead.
 */
export function checkLogprobs(ready: ReadyTarget, plan: RunPlan, task: EvalTask): Promise<void> {
  // A server may echo credentials in its error: scrubbed as the other checks' are.
  return checked(secretValues(ready.headers, ready.target.endpointPath), () => askLogprobs(ready, plan, task));
}

async function askLogprobs(ready: ReadyTarget, plan: RunPlan, task: EvalTask): Promise<void> {
  const { target } = ready;
  const init = { method: 'POST' as const, headers: ready.headers, body: taskBody(task, ready.model, plan.shape) };
  const { status, text } = await checkRequest(target, target.origin + target.endpointPath, init, { insecure: plan.insecure, timeoutMs: 60_000 });
  if (status >= 400) {
    // The check request, without logprobs, passed: a 4xx now is most likely about logprobs, said in the server's words.
    const fix = status === 429 || status >= 500 ? 'the server is busy or failing: try again' : 'use --mode generative (the default), or a server that returns logprobs';
    throw new TargetError(`${target.display} answered the logprob question with ${errorBodyMessage(status, text)}: ${fix}`);
  }
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
