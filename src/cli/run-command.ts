import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { buildRunPlan, type PlanOptions, type RunPlan } from '../config/run-plan.js';
import { DatasetError } from '../datasets/errors.js';
import { preparePrompts, type PreparedPrompts } from '../datasets/prompt-source.js';
import { renderSummaryTables } from '../report/summary-table.js';
import { writeRunReport } from '../report/write-report.js';
import { TokenizerError } from '../tokenizer/tokenizer.js';
import { runEngineSession } from './engine-session.js';
import { createRunDir, summaryDocument, writeResultFiles, writeRunJson, type RunIdentity } from './run-output.js';
import { pointAtScenario, scenarioOf } from './scenario-flag.js';
import { withTarget, type ReadyTarget } from './target-setup.js';
import { UsageError } from './usage-error.js';
import { EXIT_ALL_FAILED, EXIT_OK, say } from './output.js';

/** `evalperf run`: flags -> plan -> prompts -> (simulator) -> checks -> engine -> files and summary. */
export async function runCommand(options: PlanOptions & { scenario?: string }): Promise<number> {
  let plan: RunPlan;
  let prompts: PreparedPrompts;
  const scenario = scenarioOf(options);
  try {
    plan = buildRunPlan(options, process.env, availableParallelism());
  } catch (e) {
    throw new UsageError(pointAtScenario((e as Error).message, scenario, options as unknown as Record<string, unknown>));
  }
  if (scenario) say(`scenario ${scenario.path}${scenario.description ? `: ${scenario.description.trim().split('\n')[0]}` : ''}`);
  try {
    // Prompts before the target: a bad file or tokenizer is exit 2 before anything starts.
    prompts = await preparePrompts(plan.prompts, { api: plan.shape.api, needed: distinctPrompts(plan), env: process.env, say });
  } catch (e) {
    if (e instanceof TokenizerError || e instanceof DatasetError) throw new UsageError(e.message);
    throw e;
  }
  return withTarget(plan, (t) => execute(plan, prompts, t, options.scenario ?? null));
}

/** Prompts a run can use: its largest step plus the warmup; null (all) when a step has only a duration. */
function distinctPrompts(plan: RunPlan): number | null {
  if (plan.steps.some((s) => s.number === null)) return null;
  return Math.max(...plan.steps.map((s) => s.number!)) + plan.warmup;
}

async function execute(plan: RunPlan, prompts: PreparedPrompts, t: ReadyTarget, scenario: string | null): Promise<number> {
  const { target, model, headers } = t;
  const id: RunIdentity = { url: target.display, model, api: target.api, simulated: t.simulator !== null };
  const dir = createRunDir(plan.outDir, model);
  writeRunJson(dir, plan, id, { scenario, dataset: prompts.description, prompts: prompts.info, ...(t.simulator && { simulator: t.simulator }) });
  const startedAt = new Date();
  say(`target ${target.display}  model ${model}  output ${dir}`);
  const result = await runEngineSession({
    dir,
    tui: plan.tui,
    header: { url: target.display, model, outDir: dir, slo: plan.slo !== null },
    config: {
      origin: target.origin,
      endpointPath: target.endpointPath,
      modelsPath: target.modelsPath,
      headers,
      shape: { ...plan.shape, model },
      source: prompts.source({ ...plan.shape, model }),
      collectText: false,
      tokenizer: prompts.tokenizer,
      insecure: plan.insecure,
      timeoutMs: plan.timeoutMs,
      slo: plan.slo,
      stopOnSlo: plan.stopOnSlo,
      steps: plan.steps,
      warmup: plan.warmup,
      workers: plan.workers,
      pauseMs: plan.pauseMs,
      seed: plan.seed,
    },
  });
  const summary = summaryDocument(id, result, startedAt);
  // The prompt lengths each step sent, as the tokenizer (or word count, or estimate) counts them.
  summary.steps.forEach((s, k) => (s.prompt_tokens = { ...prompts.summary(k, s.requests.total) }));
  writeResultFiles(dir, summary, result);
  await writeRunReport(dir, say);
  if (plan.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  else process.stdout.write(`\n${renderSummaryTables(summary.steps)}\n\nwritten to ${dir}\n`);
  const short = summary.steps.reduce((a, s) => a + (s.replies_vs_max_tokens?.shorter ?? 0), 0);
  if (plan.prompts.ignoreEos && short > 0) {
    const counted = summary.steps.reduce((a, s) => a + (s.replies_vs_max_tokens?.counted ?? 0), 0);
    say(`warning: the server did not honour --ignore-eos: ${short} of ${counted} replies were shorter than their max_tokens (summary.json replies_vs_max_tokens); output lengths are not what was asked`);
  }
  const stop = result.sloStop;
  if (stop !== null) say(`stopped the sweep after step ${stop.step + 1} of ${plan.steps.length}: SLO attainment ${stop.attainment} < ${stop.floor} (--stop-on-slo); ${stop.skipped} higher step${stop.skipped === 1 ? '' : 's'} not run`);
  if (result.stopped === 'error') {
    say(`evalperf: the run stopped on an internal error: ${result.error}; everything recorded until then is in ${dir}`);
    return EXIT_ALL_FAILED;
  }
  // Requests the user aborted are not the server's failures: exit 1 only for real ones.
  const succeeded = summary.steps.reduce((a, s) => a + s.requests.succeeded, 0);
  const failedForReal = summary.steps.reduce((a, s) => a + s.requests.failed - (result.stopped === 'no' ? 0 : (s.requests.by_class.aborted ?? 0)), 0);
  if (succeeded === 0 && failedForReal > 0) {
    const firstClass = Object.keys(summary.steps.find((s) => s.requests.failed > 0)?.requests.by_class ?? {})[0];
    say(`every request failed${firstClass ? ` (${firstClass})` : ''}: see ${join(dir, 'requests.jsonl')} for the errors`);
    return EXIT_ALL_FAILED;
  }
  return EXIT_OK;
}
