import type { RequestShape } from '../client/request-body.js';
import type { ConversationSource } from '../datasets/conversation.js';
import type { RandomSource } from '../datasets/random.js';
import type { TokenizerSpec } from '../tokenizer/tokenizer.js';
import type { ArrivalShare, ArrivalSpec } from '../load/arrivals.js';
import type { ClientHealth } from '../metrics/client-health.js';
import type { Counters } from '../metrics/counters.js';
import type { Slo } from '../metrics/derive.js';
import type { ReplyDetail } from '../metrics/record.js';
import type { PackedHistograms } from '../metrics/recorder.js';

/**
 * Typed messages between the engine (main thread) and its workers. One message per interval per
 * worker, never one per request or token. Times are performance.now() ms: workers share the
 * main thread's time origin (engine/time-origin.test.ts proves it on the running Node).
 */

/**
 * What request `index` sends. Synthetic prompts are built in the worker from the step and the
 * index (datasets/random.ts), so every request of every step is distinct and nothing is held in
 * memory. A list holds whole request bodies built up front (datasets, benchmark items) and is
 * taken in order, wrapping around when a run sends more requests than the list has; the warmup
 * takes it from the end, so a measured step does not open on prompts the server just cached.
 */
export type RequestSource =
  | ({ kind: 'synthetic' } & RandomSource)
  /** `maxTokens`: what each body asks for (absent: unknown, e.g. benchmark items). */
  | { kind: 'list'; bodies: string[]; inputTokens: number[]; maxTokens?: number[] }
  /** Multi-turn: each closed-loop user plays conversations; a request's body depends on the replies before it. */
  | ConversationSource;

export interface WorkerInit {
  worker: number;
  /** Every request carries x-request-id: <runId>-<step>-<index>, to join with server logs. */
  runId: string;
  origin: string;
  endpointPath: string;
  modelsPath: string;
  /** Includes the authorization header: lives in worker memory only, never posted back. */
  headers: Record<string, string>;
  shape: RequestShape;
  source: RequestSource;
  /** Keep each reply's text (accuracy runs); load tests leave it off. */
  collectText: boolean;
  /** --tokenizer: counts a reply's tokens when the server sends no usage (loaded in the worker). */
  tokenizer: TokenizerSpec | null;
  /** Skip TLS certificate verification (--insecure). */
  insecure: boolean;
  timeoutMs: number;
  slo: Slo | null;
  intervalMs: number;
  /** Largest number of connections any step gives this worker; null = unbounded (open loop, no cap). */
  connections: number | null;
  /**
   * Shared Int32 slots: a request-index counter per step (warmup last), a conversation counter
   * per step (warmup last), then requests in flight.
   */
  tickets: SharedArrayBuffer;
}

export interface StepCommand {
  type: 'step';
  /** The step's number in the run (records carry it). */
  step: number;
  /** This step's request-index counter in the shared slots. */
  ticketSlot: number;
  /** This step's conversation counter in the shared slots (multi-turn runs). */
  conversationSlot: number;
  /** Warmup steps run like any other but the engine discards what they measure. */
  measured: boolean;
  mode: 'closed' | 'open';
  /** Closed loop: this worker's virtual users. Open loop: its in-flight cap, 0 = none. */
  slots: number;
  rate: number | null;
  arrival: ArrivalSpec | null;
  /** Open loop: the arrivals this worker takes (load/arrivals.ts). */
  arrivalShare: ArrivalShare;
  arrivalSeed: number;
  /** Global request count of the step (exact across workers), or null. */
  number: number | null;
  durationMs: number | null;
  /** performance.now() at which every worker starts the step. */
  startAt: number;
}

export type MainToWorker =
  | ({ type: 'init' } & WorkerInit)
  | { type: 'preconnect'; connections: number }
  | StepCommand
  | { type: 'stop'; abort: boolean }
  | { type: 'exit' };

export interface IntervalSnapshot {
  worker: number;
  step: number;
  interval: number;
  /** The last snapshot of this worker for this step. */
  final: boolean;
  counters: Counters;
  /** Packed (metrics/histogram-codec.ts), transferred. */
  histograms: PackedHistograms;
  health: ClientHealth;
  /** Finished requests, packed (metrics/record.ts), transferred. */
  records: Float64Array;
  messages: (string | null)[];
  /** Replies, parallel to the records, when collected; else null. */
  replies: (ReplyDetail | null)[] | null;
}

export type WorkerToMain =
  | { type: 'ready'; worker: number }
  | { type: 'preconnected'; worker: number; ms: number; opened: number; error: string | null }
  | { type: 'interval'; snapshot: IntervalSnapshot }
  | { type: 'stepDone'; worker: number; step: number; health: ClientHealth }
  | { type: 'fatal'; worker: number; message: string };
