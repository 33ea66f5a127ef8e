import { randomBytes } from 'node:crypto';
import type { RequestShape } from '../client/request-body.js';
import type { StepPlan } from '../config/run-plan.js';
import { worstHealth, type ClientHealth } from '../metrics/client-health.js';
import type { Slo } from '../metrics/derive.js';
import type { RequestRecord } from '../metrics/record.js';
import type { HistogramSet } from '../metrics/recorder.js';
import { summarizeStep, type StepSummary } from '../metrics/summary.js';
import { ReplyLengthTally } from '../metrics/reply-lengths.js';
import { TurnTally } from '../metrics/turns.js';
import type { TokenizerSpec } from '../tokenizer/tokenizer.js';
import { formatArrival } from '../load/arrivals.js';
import { StepAggregator, type IntervalView } from './aggregator.js';
import type { RequestSource, StepCommand, WorkerInit } from './protocol.js';
import { preconnectCounts, stepCommands, workerConnections } from './split-load.js';
import { WorkerSet } from './worker-set.js';

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
  /** Counts output tokens when a server sends no usage; null: one token per content event. */
  tokenizer?: TokenizerSpec | null;
  insecure: boolean;
  timeoutMs: number;
  slo: Slo | null;
  steps: readonly StepPlan[];
  warmup: number;
  workers: number;
  pauseMs: number;
  seed: number;
  /** End a sweep after a step whose SLO attainment is below this floor (--stop-on-slo); null = never. */
  stopOnSlo?: number | null;
  /** Request ids are <runId>-<step>-<index> (x-request-id); random when not given. */
  runId?: string;
  /** Number of the first step, and how many the whole run has, when a run is several engines. */
  firstStep?: number;
  totalSteps?: number;
}

export type EnginePhase =
  | { kind: 'connecting'; connections: number }
  | { kind: 'warmup'; number: number }
  | { kind: 'step'; step: number; of: number; plan: StepPlan; startAt: number }
  | { kind: 'pause'; ms: number; nextStep: number; of: number }
  | { kind: 'stopping'; abort: boolean };

export interface StepResult {
  step: number;
  plan: StepPlan;
  startAt: number;
  summary: StepSummary;
  histograms: HistogramSet;
}

export interface RunResult {
  runId: string;
  /** performance.now() of the first measured step's start: requests.jsonl times count from here. */
  runStart: number;
  steps: StepResult[];
  /** 'error': a worker failed; `error` says how. What was recorded until then is in `steps`. */
  stopped: 'no' | 'graceful' | 'abort' | 'error';
  error: string | null;
  connect: { ms: number; opened: number; error: string | null };
  /** The sweep ended early: the step (label) whose SLO attainment fell below the floor. */
  sloStop: SloStop | null;
}

export interface SloStop {
  step: number;
  attainment: number;
  floor: number;
  /** Steps of the plan that were not run. */
  skipped: number;
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
  private readonly workers = new WorkerSet();
  private stopped: 'no' | 'graceful' | 'abort' = 'no';
  private error: Error | null = null;
  private wake: (() => void) | null = null;
  readonly runId: string;

  constructor(
    private readonly cfg: EngineConfig,
    private readonly listener: EngineListener,
  ) {
    this.runId = cfg.runId ?? randomBytes(4).toString('hex');
  }

  /** First call: finish in-flight requests and stop. Second (or abort): abort them. */
  stop(abort: boolean): void {
    const hard = abort || this.stopped !== 'no';
    this.stopped = hard ? 'abort' : 'graceful';
    this.listener.phase?.({ kind: 'stopping', abort: hard });
    this.workers.broadcast({ type: 'stop', abort: hard });
    this.wake?.();
  }

  private get going(): boolean {
    return this.stopped === 'no' && this.error === null;
  }

  async run(): Promise<RunResult> {
    const { cfg } = this;
    const steps: StepResult[] = [];
    let runStart = NaN;
    let connect: RunResult['connect'] = { ms: 0, opened: 0, error: null };
    let sloStop: SloStop | null = null;
    try {
      // Int32 slots: request-index counters per step (warmup last), conversation counters the same, then requests in flight.
      const tickets = new SharedArrayBuffer(4 * (2 * (cfg.steps.length + 1) + 1));
      await this.workers.start(workerConnections(cfg.steps, cfg.workers).map((connections, worker) => this.init(worker, connections, tickets)));
      this.listener.phase?.({ kind: 'connecting', connections: sum(preconnectCounts(cfg.steps[0]!, cfg.workers)) });
      connect = await this.preconnect(cfg.steps[0]!);
      if (cfg.warmup > 0 && this.going) await this.warmup();
      for (let i = 0; i < cfg.steps.length && this.going; i++) {
        const plan = cfg.steps[i]!;
        if (i > 0 && cfg.pauseMs > 0) {
          this.listener.phase?.({ kind: 'pause', ms: cfg.pauseMs, nextStep: i, of: cfg.steps.length });
          await this.sleep(cfg.pauseMs);
        }
        // Sockets left idle by warmup, a smaller step or a pause may have been closed by the server.
        if (i > 0 || cfg.warmup > 0) await this.preconnect(plan);
        if (!this.going) break;
        const startAt = performance.now() + START_LEAD_MS;
        if (i === 0) runStart = startAt;
        const label = (cfg.firstStep ?? 0) + i;
        this.listener.phase?.({ kind: 'step', step: label, of: cfg.totalSteps ?? cfg.steps.length, plan, startAt });
        steps.push(await this.runStep(label, i, plan, startAt, runStart, true));
        this.listener.stepDone?.(steps.at(-1)!);
        sloStop = this.sloStop(steps.at(-1)!, cfg.steps.length - i - 1);
        if (sloStop !== null) break;
      }
    } catch (e) {
      this.error ??= e as Error;
    } finally {
      await this.workers.shutdown();
    }
    const stopped = this.error ? 'error' : this.stopped;
    return { runId: this.runId, runStart, steps, stopped, error: this.error?.message ?? null, connect, sloStop };
  }

  /** A sizing search: once a load level misses the SLO floor, higher levels are not worth running. */
  private sloStop(r: StepResult, remaining: number): SloStop | null {
    const floor = this.cfg.stopOnSlo ?? null;
    const slo = r.summary.slo;
    if (floor === null || slo === null || remaining === 0 || slo.attainment >= floor) return null;
    return { step: r.step, attainment: slo.attainment, floor, skipped: remaining };
  }

  private init(worker: number, connections: number | null, tickets: SharedArrayBuffer): WorkerInit {
    const { cfg } = this;
    return {
      worker,
      runId: this.runId,
      origin: cfg.origin,
      endpointPath: cfg.endpointPath,
      modelsPath: cfg.modelsPath,
      headers: cfg.headers,
      shape: cfg.shape,
      source: cfg.source,
      collectText: cfg.collectText,
      tokenizer: cfg.tokenizer ?? null,
      insecure: cfg.insecure,
      timeoutMs: cfg.timeoutMs,
      slo: cfg.slo,
      intervalMs: INTERVAL_MS,
      connections,
      tickets,
    };
  }

  private async warmup(): Promise<void> {
    const first = this.cfg.steps[0]!;
    const parallel = first.parallel ?? Math.min(this.cfg.warmup, 64);
    const plan: StepPlan = { mode: 'closed', parallel, rate: null, arrival: null, number: this.cfg.warmup, durationMs: null };
    this.listener.phase?.({ kind: 'warmup', number: this.cfg.warmup });
    await this.runStep(-1, this.cfg.steps.length, plan, performance.now() + START_LEAD_MS, NaN, false);
  }

  /**
   * Runs one step to its end. A worker failure ends the wait, but the step is still summarized
   * from what was merged so far: nothing recorded is lost.
   */
  private async runStep(step: number, ticketSlot: number, plan: StepPlan, startAt: number, runStart: number, measured: boolean): Promise<StepResult> {
    const { cfg } = this;
    const agg = new StepAggregator(step, cfg.workers, startAt, INTERVAL_MS);
    const healths: ClientHealth[] = [];
    const turns = new TurnTally();
    const replyLengths = new ReplyLengthTally();
    const unlisten = this.workers.listen((_w, m) => {
      if (m.type !== 'interval' || m.snapshot.step !== step) return;
      const { records, completed } = agg.add(m.snapshot, performance.now());
      if (!measured) return;
      for (const r of records) {
        turns.add(r);
        replyLengths.add(r);
      }
      if (records.length > 0) this.listener.records?.(records, runStart);
      for (const v of completed) this.listener.interval?.(v, agg);
    });
    const cpuBefore = process.cpuUsage();
    const done = this.workers.collect(cfg.workers, (m) => m.type === 'stepDone' && m.step === step, (_w, m) => {
      if (m.type === 'stepDone') healths.push(m.health);
    });
    const cmds: StepCommand[] = stepCommands(plan, step, ticketSlot, cfg.steps.length + 1 + ticketSlot, cfg.workers, measured, startAt, cfg.seed + ticketSlot);
    cmds.forEach((c, w) => this.workers.post(w, c));
    try {
      await done;
    } catch (e) {
      this.error ??= e as Error;
    }
    const cpu = process.cpuUsage(cpuBefore);
    unlisten();
    if (measured) for (const v of agg.finish()) this.listener.interval?.(v, agg);
    const summary = summarizeStep(
      {
        load: { mode: plan.mode, parallel: plan.parallel, rate: plan.rate, arrival: plan.arrival ? formatArrival(plan.arrival) : null },
        counters: agg.counters,
        histograms: agg.cumulative,
        intervals: agg.tallies,
        slo: cfg.slo,
        workers: cfg.workers,
        health: worstHealth(healths),
        cpuMs: (cpu.user + cpu.system) / 1000,
        turns,
        replyLengths,
      },
      INTERVAL_MS,
    );
    return { step, plan, startAt, summary, histograms: agg.cumulative };
  }

  /** Opens (or tops up) each worker's sockets to what `plan` will use. */
  private async preconnect(plan: StepPlan): Promise<RunResult['connect']> {
    const counts = preconnectCounts(plan, this.cfg.workers);
    const out: RunResult['connect'] = { ms: 0, opened: 0, error: null };
    const done = this.workers.collect(this.cfg.workers, (m) => m.type === 'preconnected', (_w, m) => {
      if (m.type !== 'preconnected') return;
      out.ms = Math.max(out.ms, m.ms);
      out.opened += m.opened;
      out.error ??= m.error;
    });
    counts.forEach((connections, w) => this.workers.post(w, { type: 'preconnect', connections }));
    await done;
    return out;
  }

  /** A pause that a stop cuts short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
