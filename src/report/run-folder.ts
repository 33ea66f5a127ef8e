import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArrivalSpec } from '../load/arrivals.js';
import type { Slo } from '../metrics/derive.js';
import { decodeHistogram, encodeHistogram } from '../metrics/histogram.js';
import { LATENCY_METRICS } from '../metrics/recorder.js';
import { BadInputError } from './input-error.js';
import { readJsonl } from './jsonl.js';
import { stepLoadFromPlan, type RebuildPlan } from './rebuild.js';
import { scanRecords } from './record-scan.js';
import type { RunData, RunHistograms, SummaryDoc } from './saved-run.js';
import { IntervalSeriesBuilder, type IntervalLine } from './series.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function readJsonFile(path: string, fix: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new BadInputError(`${path} is not valid JSON (${(e as Error).message}): ${fix}`);
  }
}

function parseSummary(path: string): SummaryDoc {
  const fix = 'restore it, or delete it to rebuild the summary from requests.jsonl';
  const doc = readJsonFile(path, fix);
  if (!isObj(doc) || typeof doc.schema !== 'string' || !doc.schema.startsWith('evalperf.summary/')) {
    throw new BadInputError(`${path} is not an evalperf summary (no "schema": "evalperf.summary/1"): ${fix}`);
  }
  const steps = doc.steps;
  if (!Array.isArray(steps) || !steps.every((s) => isObj(s) && isObj(s.load) && isObj(s.requests) && isObj(s.throughput) && isObj(s.latency_ms))) {
    throw new BadInputError(`${path} has no valid "steps" (each with load, requests, throughput, latency_ms): ${fix}`);
  }
  return doc as SummaryDoc;
}

function parseHistograms(path: string): RunHistograms[] {
  const fix = 'restore it, or delete it (the report then has no percentile plots)';
  const doc = readJsonFile(path, fix);
  if (!isObj(doc) || !Array.isArray(doc.steps)) throw new BadInputError(`${path} has no "steps" list: ${fix}`);
  const out: RunHistograms[] = [];
  doc.steps.forEach((s: unknown, i) => {
    if (!isObj(s)) throw new BadInputError(`${path} step ${i} is not an object: ${fix}`);
    const set: RunHistograms = {};
    for (const m of LATENCY_METRICS) {
      if (typeof s[m] !== 'string') continue;
      try {
        set[m] = decodeHistogram(s[m]);
      } catch (e) {
        throw new BadInputError(`${path} step ${i} ${m} is not a readable HDR histogram (${(e as Error).message}): ${fix}`);
      }
    }
    out[Number.isInteger(s.step) ? (s.step as number) : i] = set;
  });
  return out;
}

async function readIntervalSeries(path: string, warn: (msg: string) => void): Promise<RunData['series']> {
  const b = new IntervalSeriesBuilder();
  for await (const { line, value } of readJsonl(path, warn)) {
    const l = value as Partial<IntervalLine>;
    const ok = isObj(l) && Number.isInteger(l.step) && typeof l.t_s === 'number' && typeof l.succeeded === 'number' && typeof l.failed === 'number' && typeof l.output_tokens === 'number' && typeof l.in_flight === 'number' && isObj(l.ttft_ms);
    if (!ok) throw new BadInputError(`${path} line ${line} is not an interval line evalperf wrote (needs step, t_s, succeeded, failed, output_tokens, in_flight, ttft_ms): fix or delete that line`);
    b.add(l as IntervalLine);
  }
  return b.finish();
}

/** run.json -> what a rebuild needs: each step's load, the SLO, the worker count. */
function rebuildPlan(run: Obj, path: string): RebuildPlan {
  const loads = run.load;
  const okStep = (s: unknown) => isObj(s) && (s.mode === 'closed' || s.mode === 'open');
  if (!Array.isArray(loads) || loads.length === 0 || !loads.every(okStep)) {
    throw new BadInputError(`${path} has no valid "load" list (one step plan each, with mode closed or open): restore run.json from the run`);
  }
  const nul = (v: unknown) => (v === undefined ? null : v);
  return {
    loads: loads.map((s: Obj) =>
      stepLoadFromPlan({ mode: s.mode as 'closed' | 'open', parallel: nul(s.parallel) as number | null, rate: nul(s.rate) as number | null, arrival: nul(s.arrival) as ArrivalSpec | null }),
    ),
    slo: isObj(run.slo) ? (run.slo as Slo) : null,
    workers: typeof run.workers === 'number' ? run.workers : 1,
  };
}

export const REBUILD_NOTES = [
  'Rebuilt from requests.jsonl (summary.json was missing): ITL is not recoverable (the gaps between tokens are not in the records), nor client health (measured live).',
  'Per-second TTFT needs intervals.jsonl; the time series here come from the records, with tokens counted when their request ended.',
];

/**
 * Reads a run folder for a report. summary.json and histograms.json are used as they are;
 * without summary.json the summary is rebuilt from requests.jsonl and run.json (not written
 * here: see saveRebuilt). requests.jsonl is streamed once for the error examples.
 */
export async function readRunFolder(dir: string, warn: (msg: string) => void): Promise<RunData> {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new BadInputError(`${dir}: no such folder: give a folder that evalperf run wrote (reports/<time>-<model>/)`);
  }
  if (!isDir) throw new BadInputError(`${dir} is a file, not a run folder: give the folder that holds summary.json or requests.jsonl`);
  const file = (f: string) => join(dir, f);
  const has = (f: string) => existsSync(file(f));
  const run = has('run.json') ? readJsonFile(file('run.json'), 'restore it from the run, or delete it') : null;
  if (run !== null && !isObj(run)) throw new BadInputError(`${file('run.json')} is not a JSON object: restore it from the run, or delete it`);
  const notes: string[] = [];
  const accuracy = has('eval.json') ? readJsonFile(file('eval.json'), 'restore it from the run, or delete it') : null;

  if (has('summary.json')) {
    const summary = parseSummary(file('summary.json'));
    const histograms = has('histograms.json') ? parseHistograms(file('histograms.json')) : null;
    if (histograms === null) notes.push('histograms.json is missing: no percentile plots.');
    const scan = has('requests.jsonl') ? await scanRecords(file('requests.jsonl'), { rebuild: null, series: !has('intervals.jsonl') }, warn) : null;
    if (scan === null) notes.push('requests.jsonl is missing: failures are counted but have no example messages.');
    const series = has('intervals.jsonl') ? await readIntervalSeries(file('intervals.jsonl'), warn) : (scan?.series ?? []);
    return { dir, run, summary, histograms, series, errors: scan?.errors ?? [], rebuilt: false, accuracy, notes: [...notes, ...(summary.rebuilt_from !== undefined ? REBUILD_NOTES : [])] };
  }
  if (!has('requests.jsonl')) throw new BadInputError(`${dir} is not a run folder: it has neither summary.json nor requests.jsonl (evalperf run writes both)`);
  if (run === null) throw new BadInputError(`${dir} has requests.jsonl but neither summary.json nor run.json: copy run.json back from the run; the rebuild needs its plan`);
  const scan = await scanRecords(file('requests.jsonl'), { rebuild: rebuildPlan(run, file('run.json')), series: true }, warn);
  const target = isObj(run.target) ? run.target : {};
  const summary: SummaryDoc = {
    schema: 'evalperf.summary/1',
    tool: isObj(run.tool) ? (run.tool as SummaryDoc['tool']) : undefined,
    target: { url: String(target.url ?? ''), model: String(target.model ?? ''), api: String(target.api ?? '') },
    started_at: typeof run.started_at === 'string' ? run.started_at : undefined,
    stopped: 'unknown',
    rebuilt_from: 'requests.jsonl',
    // Measured live or set after the engine, never written per request: said, not guessed.
    not_recovered: ['latency_ms.itl', 'client', 'ended_at', 'run_id', 'steps[].prompt_tokens', ...(typeof run.stop_on_slo === 'number' ? ['slo_stop'] : [])],
    steps: scan.steps!.map((s) => s.summary),
  };
  return { dir, run, summary, histograms: scan.steps!.map((s) => s.histograms), series: scan.series!, errors: scan.errors, rebuilt: true, accuracy, notes: [...REBUILD_NOTES] };
}

/** Writes a rebuilt summary.json and histograms.json into the run folder. */
export function saveRebuilt(data: RunData): void {
  writeFileSync(join(data.dir, 'summary.json'), JSON.stringify(data.summary, null, 2) + '\n');
  const steps = (data.histograms ?? []).map((set, step) => {
    const out: Record<string, unknown> = { step };
    for (const m of LATENCY_METRICS) {
      const h = set?.[m];
      if (h !== undefined && h.totalCount > 0) out[m] = encodeHistogram(h);
    }
    return out;
  });
  const doc = { schema: 'evalperf.histograms/1', unit: 'microseconds', encoding: 'HdrHistogram compressed base64 (hdr-histogram-js encodeIntoCompressedBase64)', rebuilt_from: 'requests.jsonl', steps };
  writeFileSync(join(data.dir, 'histograms.json'), JSON.stringify(doc) + '\n');
}
