import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { JUDGE_NAME } from '../arena/model-spec.js';
import { buildRequestBody } from '../client/request-body.js';
import type { RunPlan } from '../config/run-plan.js';
import { estimateTokens } from '../datasets/synthetic.js';
import type { RunResult } from '../engine/engine.js';
import type { RequestRecord } from '../metrics/record.js';
import { writeRunReport } from '../report/write-report.js';
import type { Participant } from './arena-plan.js';
import { runEngineSession } from './engine-session.js';
import { summaryDocument, writeResultFiles, writeRunJson } from './run-output.js';
import type { ReadyTarget } from './target-setup.js';
import { say } from './output.js';

export interface ListSession {
  /** The arena's run folder. */
  dir: string;
  run: RunPlan;
  who: Participant;
  ready: ReadyTarget;
  /** One prompt per request, in order; a record's index is its prompt's. */
  prompts: string[];
  /** Called for each finished request, in the order they finish. */
  onRecord(index: number, r: RequestRecord): void;
}

/**
 * A folder of its own for one session's latency files, `latency/<name>`: a run folder that
 * `evalperf report` and `evalperf compare` read. A resumed arena that asks a server again gets a
 * fresh one (`<name>-2`, ...) rather than mixing two sessions' records in one file.
 */
function latencyDir(dir: string, name: string): string {
  for (let i = 1; ; i++) {
    const path = join(dir, 'latency', i === 1 ? name : `${name}-${i}`);
    if (!existsSync(path)) {
      mkdirSync(path, { recursive: true });
      return path;
    }
  }
}

/**
 * Sends one participant's prompts through the engine at the run's load level (one request per
 * prompt, replies collected) and writes the session's latency files next to the answers.
 */
export async function runListSession(o: ListSession): Promise<RunResult> {
  const { target, model, headers } = o.ready;
  const shape = { ...o.who.target.shape, model };
  // The prompt is the one user message (or the prompt of a completions endpoint).
  const bodies = o.prompts.map((p) => buildRequestBody(shape, p));
  const step = { ...o.run.steps[0]!, number: bodies.length, durationMs: null };
  const plan: RunPlan = { ...o.run, target, model, apiKey: o.who.target.apiKey, shape: o.who.target.shape, steps: [step] };
  const out = latencyDir(o.dir, o.who.spec.name);
  const id = { url: target.display, model, api: target.api, simulated: false };
  writeRunJson(out, plan, id, { arena: { role: o.who.spec.name === JUDGE_NAME ? 'judge' : 'contestant', name: o.who.spec.name, key_from: o.who.keySource } });
  const startedAt = new Date();
  const result = await runEngineSession({
    dir: out,
    tui: o.run.tui,
    header: { url: target.display, model: `${o.who.spec.name}: ${model}`, outDir: out, slo: false },
    extra: { records: (rs) => rs.forEach((r) => o.onRecord(r.index, r)) },
    config: {
      origin: target.origin,
      endpointPath: target.endpointPath,
      modelsPath: target.modelsPath,
      headers,
      shape,
      source: { kind: 'list', bodies, inputTokens: o.prompts.map(estimateTokens) },
      collectText: true,
      insecure: plan.insecure,
      timeoutMs: plan.timeoutMs,
      slo: null,
      steps: [step],
      warmup: 0,
      workers: plan.workers,
      pauseMs: 0,
      seed: plan.seed,
    },
  });
  writeResultFiles(out, summaryDocument(id, result, startedAt), result);
  await writeRunReport(out, say);
  return result;
}
