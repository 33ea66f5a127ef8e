import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname, cpus } from 'node:os';
import { join } from 'node:path';
import type { RunPlan } from '../config/run-plan.js';
import type { RunResult } from '../engine/engine.js';
import { encodeHistogramSet } from '../metrics/recorder.js';
import type { StepSummary } from '../metrics/summary.js';
import { TOOL_VERSION } from './version.js';

export interface RunIdentity {
  url: string;
  model: string;
  api: string;
  simulated: boolean;
}

/** `<out>/<YYYYMMDD-HHMMSS>-<model>/`, created; a suffix keeps two runs in one second apart. */
export function createRunDir(outDir: string, model: string, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  const safeModel = model.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'model';
  mkdirSync(outDir, { recursive: true });
  for (let i = 0; ; i++) {
    const dir = join(outDir, `${stamp}-${safeModel}${i > 0 ? `-${i}` : ''}`);
    try {
      mkdirSync(dir, { recursive: false });
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

const tool = { name: 'evalperf', version: TOOL_VERSION };

/** run.json: the plan as run, redacted: no API key, header names only. */
export function writeRunJson(dir: string, plan: RunPlan, id: RunIdentity, extra: Record<string, unknown>): void {
  const doc = {
    schema: 'evalperf.run/1',
    tool,
    node: process.version,
    host: { name: hostname(), platform: process.platform, arch: process.arch, cpus: cpus().length },
    started_at: new Date().toISOString(),
    target: id,
    auth: plan.apiKey ? 'api key given (not recorded)' : 'none',
    tls_verification: plan.insecure ? 'off (--insecure)' : 'on',
    headers: Object.keys(plan.headers),
    request: { ...plan.shape, input_tokens: plan.inputTokens },
    load: plan.steps,
    warmup: plan.warmup,
    workers: plan.workers,
    timeout_ms: plan.timeoutMs,
    slo: plan.slo,
    stop_on_slo: plan.stopOnSlo,
    pause_ms: plan.pauseMs,
    seed: plan.seed,
    ...extra,
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(doc, null, 2) + '\n');
}

export function summaryDocument(id: RunIdentity, result: RunResult, startedAt: Date): { schema: string; steps: StepSummary[] } & Record<string, unknown> {
  return {
    schema: 'evalperf.summary/1',
    tool,
    target: { url: id.url, model: id.model, api: id.api },
    started_at: startedAt.toISOString(),
    ended_at: new Date().toISOString(),
    // requests.jsonl times count from here: epoch ms, for joining with server-side logs.
    run_start_epoch_ms: Number.isNaN(result.runStart) ? null : Math.round((performance.timeOrigin + result.runStart) * 1000) / 1000,
    run_id: result.runId,
    stopped: result.stopped,
    // The sweep ended early on --stop-on-slo: which step missed the floor, and how many were not run.
    slo_stop: result.sloStop,
    ...(result.error !== null && { error: result.error }),
    connect: { ms: Math.round(result.connect.ms * 1000) / 1000, opened: result.connect.opened, error: result.connect.error },
    steps: result.steps.map((s) => s.summary),
  };
}

export function writeResultFiles(dir: string, summary: object, result: RunResult): void {
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  const histograms = {
    schema: 'evalperf.histograms/1',
    unit: 'microseconds',
    encoding: 'HdrHistogram compressed base64 (hdr-histogram-js encodeIntoCompressedBase64)',
    steps: result.steps.map((s) => ({ step: s.step, ...encodeHistogramSet(s.histograms) })),
  };
  writeFileSync(join(dir, 'histograms.json'), JSON.stringify(histograms) + '\n');
}
