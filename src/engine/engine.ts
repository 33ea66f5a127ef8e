import { Worker } from 'node:worker_threads';
import type { RequestShape } from '../client/request-body.js';
import type { StepPlan } from '../config/run-plan.js';
import { worstHealth, type ClientHealth } from '../metrics/client-health.js';
import type { Slo } from '../metrics/derive.js';
import type { RequestRecord } from '../metrics/record.js';
import type { HistogramSet } from '../metrics/recorder.js';
import { summarizeStep, type StepSummary } from '../metrics/summary.js';
import { StepAggregator, type IntervalView } from './aggregator.js';
import type { MainToWorker, RequestSource, StepCommand, WorkerToMain } from './protocol.js';
import { stepCommands, workerConnections } from './split-load.js';

export const INTERVAL_MS = 250;
/** Lead time so every worker starts a step at the same instant. */
const START_LEAD_MS = 30;

export interface EngineConfig {
  origin: string;
  endpointPath: string;
  modelsPath: string;
  headers: Record<string, string>;
  shape: RequestShape;
  source: RequestSource;
  collectText: boolean;
  timeoutMs: number;
  slo: Slo | null;
  steps: readonly StepPlan[];
  warmup: number;
  workers: number;
  pauseMs: number;
  seed: number;
}

export type EnginePhase =
  | { kind: 'connecting'; connections: number }
  | { kind: 'warmup'; number: number }
  | { kind: 'step'; step: number; of: number; plan: StepPlan; startAt: number }
  | { kind: 'stopping'; abort: boolean };

export interface StepResult {
  step: number;
  plan: StepPlan;
  startAt: number;
  summary: StepSummary;
  histograms: HistogramSet;
}

export interface RunResult {
  /** performance.now() of the first measured step's start: requests.jsonl times count from here. */
  runStart: number;
  steps: StepResult[];
  stopped: 'no' | 'graceful' | 'abort';
  connect: { ms: number; opened: number; error: string | null };
}

/**
 * Whoever wants to watch a run. The engine calls these on the main thread, in order, and never
 * waits for them: do not block here (the dashboard renders on its own clock).
 */
export interface EngineListener {
  phase?(p: EnginePhase): void;
  interval?(view: IntervalView, step: StepAggregator): void;
  records?(records: RequestRecord[], runStart: number): void;
  stepDone?(result: StepResult): void;
}

/**
 * The main-thread orchestrator: starts the workers, splits each step's load over them, merges
 * their interval snapshots and reports. It never touches a socket itself.
 */
export class Engine {
  private workers: Worker[] = [];
  private stopped: RunResult['stopped'] = 'no';
  private failure: Error | null = null;
  private onFailure: ((e: Error) => void) | null = null;
  private handlers: ((w: number, m: WorkerToMain) => void)[] = [];

  constructor(
    private readonly cfg: EngineConfig,
    private readonly listener: EngineListener,
  ) {}

  /** First call: finish in-flight requests and stop. Second (or abort): abort them. */
  stop(abort: boolean): void {
    const hard = abort || this.stopped !== 'no';
    this.stopped = hard ? 'abort' : 'graceful';
    this.listener.phase?.({ kind: 'stopping', abort: hard });
    this.broadcast({ type: 'stop', abort: hard });
  }

  async run(): Promise<RunResult> {
    const { cfg } = this;
    // Int32 slots: one request-index counter per step (warmup included), then requests in flight.
    const tickets = new SharedArrayBuffer(4 * (cfg.steps.length + 2));
    const conns = workerConnections(cfg.steps, cfg.workers);
    try {
      await this.startWorkers(tickets, conns);
      const connect = await this.preconnect(conns);
      if (cfg.warmup > 0 && this.stopped === 'no') await this.warmup();
      const steps: StepResult[] = [];
      let runStart = NaN;
      for (let i = 0; i < cfg.steps.length && this.stopped === 'no'; i++) {
        if (i > 0 && cfg.pauseMs > 0) await this.sleep(cfg.pauseMs);
        if (this.stopped !== 'no') break;
        const startAt = performance.now() + START_LEAD_MS;
        if (i === 0) runStart = startAt;
        const plan = cfg.steps[i]!;
        this.listener.phase?.({ kind: 'step', step: i, of: cfg.steps.length, plan, startAt });
        steps.push(await this.runStep(i, plan, startAt, runStart, true));
        this.listener.stepDone?.(steps.at(-1)!);
      }
      return { runStart, steps, stopped: this.stopped, connect };
    } finally {
      await this.shutdown();
    }
  }

  private async warmup(): Promise<void> {
    const first = this.cfg.steps[0]!;
    const parallel = first.parallel ?? Math.min(this.cfg.warmup, 64);
    const plan: StepPlan = { mode: 'closed', parallel, rate: null, arrival: null, number: this.cfg.warmup, durationMs: null };
    this.listener.phase?.({ kind: 'warmup', number: this.cfg.warmup });
    await this.runStep(this.cfg.steps.length, plan, performance.now() + START_LEAD_MS, NaN, false);
  }

  private async runStep(step: number, plan: StepPlan, startAt: number, runStart: number, measured: boolean): Promise<StepResult> {
    const { cfg } = this;
    const agg = new StepAggregator(step, cfg.workers, startAt, INTERVAL_MS);
    const healths: ClientHealth[] = [];
    const done = new Promise<void>((resolve) => {
      let remaining = cfg.workers;
      this.handlers.push((_w, m) => {
        if (m.type === 'interval' && m.snapshot.step === step) {
          const { records, completed } = agg.add(m.snapshot, performance.now());
          if (measured) {
            if (records.length > 0) this.listener.records?.(records, runStart);
            for (const v of completed) this.listener.interval?.(v, agg);
          }
        } else if (m.type === 'stepDone' && m.step === step) {
          healths.push(m.health);
          if (--remaining === 0) resolve();
        }
      });
    });
    const cpuBefore = process.cpuUsage();
    const cmds: StepCommand[] = stepCommands(plan, step, cfg.workers, measured, startAt, cfg.seed + step);
    cmds.forEach((c, w) => this.workers[w]!.postMessage(c satisfies MainToWorker));
    await this.orFailure(done);
    const cpu = process.cpuUsage(cpuBefore);
    this.handlers.pop();
    if (measured) for (const v of agg.finish()) this.listener.interval?.(v, agg);
    const summary = summarizeStep(
      {
        load: { mode: plan.mode, parallel: plan.parallel, rate: plan.rate, arrival: plan.arrival ? formatArrivalName(plan) : null },
        counters: agg.counters,
        histograms: agg.cumulative,
        intervals: agg.tallies,
        slo: cfg.slo,
        workers: cfg.workers,
        health: worstHealth(healths),
        cpuMs: (cpu.user + cpu.system) / 1000,
      },
      INTERVAL_MS,
    );
    return { step, plan, startAt, summary, histograms: agg.cumulative };
  }

  private async startWorkers(tickets: SharedArrayBuffer, conns: (number | null)[]): Promise<void> {
    const { cfg } = this;
    const url = new URL('../worker/worker-main.js', import.meta.url);
    let ready = 0;
    const allReady = new Promise<void>((resolve) => {
      this.handlers.push((_w, m) => {
        if (m.type === 'ready' && ++ready === cfg.workers) resolve();
      });
    });
    for (let w = 0; w < cfg.workers; w++) {
      const worker = new Worker(url);
      worker.on('message', (m: WorkerToMain) => {
        if (m.type === 'fatal') return this.fail(new Error(`worker ${w}: ${m.message}`));
        for (const h of this.handlers) h(w, m);
      });
      worker.on('error', (e) => this.fail(new Error(`worker ${w} crashed: ${e.message}`)));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`worker ${w} exited with code ${code}`));
      });
      this.workers.push(worker);
      const init: MainToWorker = {
        type: 'init',
        worker: w,
        origin: cfg.origin,
        endpointPath: cfg.endpointPath,
        modelsPath: cfg.modelsPath,
        headers: cfg.headers,
        shape: cfg.shape,
        source: cfg.source,
        collectText: cfg.collectText,
        timeoutMs: cfg.timeoutMs,
        slo: cfg.slo,
        intervalMs: INTERVAL_MS,
        connections: conns[w]!,
        tickets,
      };
      worker.postMessage(init);
    }
    await this.orFailure(allReady);
    this.handlers.pop();
  }

  private async preconnect(conns: (number | null)[]): Promise<RunResult['connect']> {
    const { cfg } = this;
    // Open-loop steps without a cap have unbounded pools: open one second's worth of sockets.
    const maxRate = Math.max(0, ...cfg.steps.map((s) => s.rate ?? 0));
    const counts = conns.map((c) => Math.min(c ?? Math.ceil(maxRate / cfg.workers), 4096));
    const total = counts.reduce((a, b) => a + b, 0);
    this.listener.phase?.({ kind: 'connecting', connections: total });
    let ms = 0;
    let opened = 0;
    let error: string | null = null;
    let left = cfg.workers;
    const done = new Promise<void>((resolve) => {
      this.handlers.push((_w, m) => {
        if (m.type !== 'preconnected') return;
        ms = Math.max(ms, m.ms);
        opened += m.opened;
        error ??= m.error;
        if (--left === 0) resolve();
      });
    });
    counts.forEach((n, w) => this.workers[w]!.postMessage({ type: 'preconnect', connections: n } satisfies MainToWorker));
    await this.orFailure(done);
    this.handlers.pop();
    return { ms, opened, error };
  }

  private broadcast(m: MainToWorker): void {
    for (const w of this.workers) w.postMessage(m);
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    this.onFailure?.(e);
  }

  /** Waits for `p`, or rejects as soon as a worker fails. */
  private orFailure<T>(p: Promise<T>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return Promise.race([p, new Promise<never>((_, reject) => (this.onFailure = reject))]);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  private async shutdown(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            const kill = setTimeout(() => void w.terminate().then(() => resolve()), 5000);
            w.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            w.removeAllListeners('error');
            w.on('error', () => {});
            w.postMessage({ type: 'exit' } satisfies MainToWorker);
          }),
      ),
    );
    this.workers = [];
  }
}

function formatArrivalName(plan: StepPlan): string {
  const a = plan.arrival!;
  return a.kind === 'gamma' ? `gamma:${a.burstiness}` : a.kind;
}
