import { join } from 'node:path';
import type { IntervalView } from '../engine/aggregator.js';
import { Engine, type EngineConfig, type EngineListener, type RunResult } from '../engine/engine.js';
import { fanOut } from '../engine/fan-out.js';
import { JsonlSink, writeRecords } from '../engine/record-sink.js';
import type { LiveHeader } from '../ui/live-state.js';
import { interactive, startLiveView } from './live-view.js';
import { ProgressLines } from './progress.js';
import { say } from './output.js';

export interface SessionOptions {
  /** The run folder: requests.jsonl and intervals.jsonl are appended to there. */
  dir: string;
  config: EngineConfig;
  tui: boolean;
  header: LiveHeader;
  /** More listeners (an accuracy run scores replies as they come). */
  extra?: EngineListener;
  /**
   * Time origin of requests.jsonl when a run is several sessions (performance.now() ms); by
   * default the session's own first step.
   */
  runStart?: number;
}

/**
 * One engine run as a person or a pipe sees it: records and intervals streamed to the run
 * folder, the dashboard on a terminal or progress lines on stderr, Ctrl-C / SIGTERM to stop
 * (twice to abort). Always closes the files and gives the terminal back.
 */
export async function runEngineSession(o: SessionOptions): Promise<RunResult> {
  const records = new JsonlSink(join(o.dir, 'requests.jsonl'));
  const intervals = new JsonlSink(join(o.dir, 'intervals.jsonl'));
  const files: EngineListener = {
    records: (rs, runStart) => writeRecords(records, rs, o.runStart ?? runStart),
    interval: (v) => intervals.writeLines([intervalLine(v)]),
  };
  let engine: Engine | null = null;
  const stop = () => engine?.stop(false);
  // The dashboard (and React) load only for a person at a terminal.
  const live = interactive({ tui: o.tui }) ? await startLiveView(o.header, stop) : null;
  const progress = new ProgressLines(say);
  const view: EngineListener = live?.listener ?? {
    phase: (p) => progress.phase(p),
    interval: (v, step) => progress.interval(v, step),
  };
  engine = new Engine(o.config, fanOut([files, view, ...(o.extra ? [o.extra] : [])]));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    const result = await engine.run();
    if (result.connect.error) say(`warning: opening connections: ${result.connect.opened} opened, ${result.connect.error}`);
    return result;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    records.close();
    intervals.close();
    await live?.close();
  }
}

/** One intervals.jsonl line. */
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
