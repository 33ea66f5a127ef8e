import { parentPort } from 'node:worker_threads';
import { Pool } from 'undici';
import { describeError } from '../client/errors.js';
import { secretValues } from '../client/redact.js';
import { preparePrompts, randomRequest } from '../datasets/random.js';
import { ConversationPlayer } from './conversations.js';
import { loadTokenizer } from '../tokenizer/tokenizer.js';
import { prepareImages } from '../datasets/images.js';
import type { IntervalSnapshot, MainToWorker, StepCommand, WorkerInit, WorkerToMain } from '../engine/protocol.js';
import { packRecords } from '../metrics/record.js';
import type { InFlightGauge } from '../metrics/recorder.js';
import { HealthWindow } from './health.js';
import { preconnect } from './preconnect.js';
import { Sender } from './sender.js';
import { StepRunner, type RequestSpec, type StepContext } from './step-runner.js';

/**
 * A load worker: owns one undici Pool, runs the steps the engine sends, and reports one snapshot
 * per interval. Only the load runs here, so nothing else delays its timestamps.
 */
if (!parentPort) throw new Error('worker-main must run in a worker thread');
const port = parentPort;
const post = (msg: WorkerToMain, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

let init: WorkerInit;
let pool: Pool;
let sender: Sender;
let tickets: Int32Array;
let gauge: InFlightGauge;
let current: StepRunner | null = null;
let connecting: AbortController | null = null;

port.on('message', (msg: MainToWorker) => {
  try {
    handle(msg);
  } catch (err) {
    post({ type: 'fatal', worker: init?.worker ?? -1, message: describeError(err) });
  }
});

function handle(msg: MainToWorker): void {
  switch (msg.type) {
    case 'init':
      init = msg;
      tickets = new Int32Array(msg.tickets);
      gauge = sharedGauge(tickets, tickets.length - 1);
      pool = new Pool(msg.origin, {
        connections: msg.connections,
        pipelining: 1,
        // undici's 300 s defaults would kill long generations; --timeout is enforced per request.
        headersTimeout: 0,
        bodyTimeout: 0,
        allowH2: false,
        keepAliveTimeout: 60_000,
        connect: { rejectUnauthorized: !msg.insecure },
      });
      // The shared image body is built before the worker says it is ready, not in the first measured request.
      if (msg.source.kind === 'synthetic') {
        preparePrompts(msg.source.prompts);
        if (msg.source.images !== null) prepareImages(msg.source.images);
      } else if (msg.source.kind === 'random-conversations') preparePrompts(msg.source.random.prompts);
      void (msg.tokenizer === null ? Promise.resolve(null) : loadTokenizer(msg.tokenizer)).then(
        (tok) => {
          const countTokens = tok === null ? null : (text: string) => tok.count(text);
          sender = new Sender({ pool, path: msg.endpointPath, headers: msg.headers, stream: msg.shape.stream, timeoutMs: msg.timeoutMs, collectText: msg.collectText, secrets: secretValues(msg.headers, msg.endpointPath), runId: msg.runId, countTokens, api: msg.shape.api });
          post({ type: 'ready', worker: msg.worker });
        },
        (err: unknown) => post({ type: 'fatal', worker: msg.worker, message: `loading the tokenizer: ${describeError(err)}` }),
      );
      return;
    case 'preconnect': {
      const ctrl = (connecting = new AbortController());
      void preconnect(pool, init.modelsPath, init.headers, msg.connections, ctrl.signal).then((r) => {
        if (connecting === ctrl) connecting = null;
        post({ type: 'preconnected', worker: init.worker, ...r });
      });
      return;
    }
    case 'step':
      void runStep(msg);
      return;
    case 'stop':
      connecting?.abort();
      current?.stop(msg.abort);
      return;
    case 'exit':
      void pool.destroy().finally(() => process.exit(0));
      return;
  }
}

/** Timers may fire a little early against performance.now(): wait until the moment has come. */
async function sleepUntil(t: number): Promise<void> {
  for (let wait = t - performance.now(); wait > 0; wait = t - performance.now()) {
    await new Promise((r) => setTimeout(r, Math.ceil(wait)));
  }
}

/** The run-wide count of requests in flight, in shared memory. */
function sharedGauge(slots: Int32Array, at: number): InFlightGauge {
  return { add: (d) => Atomics.add(slots, at, d) + d, read: () => Atomics.load(slots, at) };
}

/** Request `index` of a step. The step's ticket slot names its prompt stream (warmup included). */
function makeRequest(cmd: StepCommand, index: number): RequestSpec {
  const s = init.source;
  if (s.kind === 'synthetic') return { ...randomRequest(s, init.shape, cmd.ticketSlot, index), conversation: NaN, turn: 0 };
  if (s.kind !== 'list') throw new Error('conversations are played by a ConversationPlayer');
  const n = s.bodies.length;
  const i = cmd.measured ? index % n : n - 1 - (index % n);
  return { body: s.bodies[i]!, inputTokens: s.inputTokens[i]!, conversation: NaN, turn: 0, maxTokens: s.maxTokens?.[i] ?? NaN };
}

/** How the step's requests are made: one by one from the source, or turn by turn per user. */
function requestMaker(cmd: StepCommand): Pick<StepContext, 'makeRequest' | 'afterReply'> {
  const s = init.source;
  if (s.kind === 'synthetic' || s.kind === 'list') return { makeRequest: (index) => makeRequest(cmd, index) };
  const player = new ConversationPlayer(s, init.shape, cmd.ticketSlot, cmd.measured, () => Atomics.add(tickets, cmd.conversationSlot, 1));
  return { makeRequest: (index, user) => player.request(user, index), afterReply: (user, out) => player.reply(user, out) };
}

async function runStep(cmd: StepCommand): Promise<void> {
  const runner = new StepRunner(cmd, { worker: init.worker, sender, tickets, gauge, slo: init.slo, ...requestMaker(cmd) });
  current = runner;
  const interval = new HealthWindow();
  const step = new HealthWindow();
  await sleepUntil(cmd.startAt);
  runner.start();

  // Interval k closes at startAt + (k + 1) * intervalMs, on absolute times.
  let k = 0;
  let timer: NodeJS.Timeout | undefined;
  const emit = (final: boolean) => {
    const now = performance.now();
    const { counters, histograms, records } = runner.recorder.take(now);
    const { packed, messages, replies } = packRecords(records);
    const snapshot: IntervalSnapshot = { worker: init.worker, step: cmd.step, interval: k, final, counters, histograms, health: interval.take(), records: packed, messages, replies };
    post({ type: 'interval', snapshot }, [packed.buffer as ArrayBuffer, histograms.buffer as ArrayBuffer]);
    k++;
  };
  const schedule = () => {
    timer = setTimeout(() => {
      emit(false);
      schedule();
    }, Math.max(0, cmd.startAt + (k + 1) * init.intervalMs - performance.now()));
  };
  schedule();
  await runner.done;
  clearTimeout(timer);
  emit(true);
  interval.close();
  const health = step.take();
  step.close();
  current = null;
  post({ type: 'stepDone', worker: init.worker, step: cmd.step, health });
}
