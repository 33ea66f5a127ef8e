import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { buildHeaders } from '../client/request-body.js';
import { probeTarget, TargetError } from '../client/probe.js';
import { preflight } from '../client/preflight.js';
import { redact, secretValues } from '../client/redact.js';
import { buildRunPlan, type RunOptions, type RunPlan } from '../config/run-plan.js';
import { resolveTarget, type Target } from '../config/target.js';
import type { IntervalView } from '../engine/aggregator.js';
import { Engine, type EngineListener, type RunResult } from '../engine/engine.js';
import { fanOut } from '../engine/fan-out.js';
import { JsonlSink, writeRecords } from '../engine/record-sink.js';
import { renderSummaryTables } from '../report/summary-table.js';
import { DEFAULT_SIM_OPTIONS, describeSim, type SimOptions } from '../sim/options.js';
import { spawnSimulator } from '../sim/embedded.js';
import { ProgressLines } from './progress.js';
import { interactive, startLiveView } from './live-view.js';
import { createRunDir, summaryDocument, writeResultFiles, writeRunJson, type RunIdentity } from './run-output.js';
import { UsageError } from './usage-error.js';

export const EXIT_OK = 0;
export const EXIT_ALL_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

const say = (line: string) => process.stderr.write(line + '\n');

/** A server may echo credentials in the error a check reports: scrub them first. */
async function checked<T>(secrets: readonly string[], check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (e) {
    if (e instanceof TargetError) throw new TargetError(redact(e.message, secrets));
    throw e;
  }
}

/** The embedded simulator's options: the defaults, on a free port, with any --sim-faults. */
function simOptions(plan: RunPlan): SimOptions {
  return { ...DEFAULT_SIM_OPTIONS, port: 0, faults: plan.simFaults };
}

/** `evalperf run`: flags -> plan -> (simulator) -> probe -> engine -> files and summary. */
export async function runCommand(options: RunOptions): Promise<number> {
  let plan: RunPlan;
  try {
    plan = buildRunPlan(options, process.env, availableParallelism());
  } catch (e) {
    throw new UsageError((e as Error).message);
  }

  let sim: Awaited<ReturnType<typeof spawnSimulator>> | null = null;
  let target: Target;
  if (plan.target === null) {
    sim = await spawnSimulator(simOptions(plan));
    target = resolveTarget(sim.url, plan.shape.api);
    say(`no --url: started the built-in simulator at ${sim.url} (${describeSim(simOptions(plan))})`);
  } else target = plan.target;

  try {
    const headers = buildHeaders(plan.apiKey, plan.headers);
    const secrets = secretValues(headers, target.endpointPath);
    const { model } = await checked(secrets, () => probeTarget(target, headers, plan.model, plan.insecure));
    const { warning } = await checked(secrets, () => preflight(target, headers, { ...plan.shape, model }, plan.insecure));
    if (warning) say(`warning: ${redact(warning, secrets)}`);
    return await execute(plan, target, model, headers, sim !== null);
  } finally {
    await sim?.close();
  }
}

async function execute(plan: RunPlan, target: Target, model: string, headers: Record<string, string>, simulated: boolean): Promise<number> {
  const id: RunIdentity = { url: target.display, model, api: target.api, simulated };
  const dir = createRunDir(plan.outDir, model);
  writeRunJson(dir, plan, id, simulated ? { simulator: simOptions(plan) } : {});
  const startedAt = new Date();
  const records = new JsonlSink(join(dir, 'requests.jsonl'));
  const intervals = new JsonlSink(join(dir, 'intervals.jsonl'));
  say(`target ${target.display}  model ${model}  output ${dir}`);

  const files: EngineListener = {
    records: (rs, runStart) => writeRecords(records, rs, runStart),
    interval: (v) => intervals.writeLines([intervalLine(v)]),
  };
  let engine: Engine | null = null;
  const stop = () => engine?.stop(false);
  // The dashboard (and React) load only for a person at a terminal.
  const live = interactive(plan) ? await startLiveView({ url: target.display, model, outDir: dir, slo: plan.slo !== null }, stop) : null;
  const progress = new ProgressLines(say);
  const view: EngineListener = live?.listener ?? {
    phase: (p) => progress.phase(p),
    interval: (v, step) => progress.interval(v, step),
  };
  engine = new Engine(
    {
      origin: target.origin,
      endpointPath: target.endpointPath,
      modelsPath: target.modelsPath,
      headers,
      shape: { ...plan.shape, model },
      source: { kind: 'synthetic', inputTokens: plan.inputTokens, seed: plan.seed },
      collectText: false,
      insecure: plan.insecure,
      timeoutMs: plan.timeoutMs,
      slo: plan.slo,
      steps: plan.steps,
      warmup: plan.warmup,
      workers: plan.workers,
      pauseMs: plan.pauseMs,
      seed: plan.seed,
    },
    fanOut([files, view]),
  );
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let result: RunResult;
  try {
    result = await engine.run();
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    records.close();
    intervals.close();
    await live?.close();
  }
  if (result.connect.error) say(`warning: opening connections: ${result.connect.opened} opened, ${result.connect.error}`);
  const summary = summaryDocument(id, result, startedAt);
  writeResultFiles(dir, summary, result);
  if (plan.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  else process.stdout.write(`\n${renderSummaryTables(summary.steps)}\n\nwritten to ${dir}\n`);
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

function intervalLine(v: IntervalView): string {
  const c = v.counters;
  return JSON.stringify({
    step: v.step,
    interval: v.interval,
    t_s: Math.round(v.endMs) / 1000,
    started: c.started,
    completed: c.completed,
    succeeded: c.succeeded,
    failed: c.failed,
    output_tokens: c.liveOutputTokens,
    in_flight: c.inFlightNow,
    queued: c.queuedNow,
    ttft_ms: v.latency.ttft,
    tpot_ms: v.latency.tpot,
    itl_ms: v.latency.itl,
    e2e_ms: v.latency.e2e,
    queue_ms: v.latency.queue,
    loop_delay_p99_ms: Math.round(v.health.loopDelayP99Ms * 100) / 100,
    utilization: Math.round(v.health.utilization * 1000) / 1000,
  });
}
