import { request } from 'undici';
import type { RunPlan } from '../config/run-plan.js';
import { checkDispatcher, TargetError } from '../client/probe.js';
import { taskBody, type EvalTask } from './eval-runner.js';
import type { ReadyTarget } from './target-setup.js';

/**
 * Logprob scoring needs top_logprobs in the answers; a server that drops them would make every
 * item unparsed. One question first, so that is one clear error instead.
 */
export async function checkLogprobs(ready: ReadyTarget, plan: RunPlan, task: EvalTask): Promise<void> {
  const dispatcher = checkDispatcher(plan.insecure);
  try {
    const res = await request(ready.target.origin + ready.target.endpointPath, {
      method: 'POST',
      headers: ready.headers,
      body: taskBody(task, ready.model, plan.shape),
      signal: AbortSignal.timeout(60_000),
      ...(dispatcher && { dispatcher }),
    });
    const body = (await res.body.json()) as { choices?: { logprobs?: { content?: unknown[]; top_logprobs?: unknown[] } | null }[] };
    const lp = body.choices?.[0]?.logprobs;
    if (!lp || !(Array.isArray(lp.content) ? lp.content.length : Array.isArray(lp.top_logprobs) ? lp.top_logprobs.length : 0)) {
      throw new TargetError(`${ready.target.display} returned no top_logprobs for --mode logprob: use --mode generative (the default), or a server that returns logprobs`);
    }
  } catch (e) {
    if (e instanceof TargetError) throw e;
    throw new TargetError(`checking logprobs at ${ready.target.display}: ${(e as Error).message}`);
  } finally {
    void dispatcher?.close();
  }
}
