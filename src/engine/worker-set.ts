import { Worker } from 'node:worker_threads';
import type { MainToWorker, WorkerInit, WorkerToMain } from './protocol.js';

type Handler = (worker: number, m: WorkerToMain) => void;

/**
 * The load workers of one run and the plumbing around them: start, broadcast, collect replies,
 * notice a crash, shut down. Knows nothing about steps or metrics.
 */
export class WorkerSet {
  private workers: Worker[] = [];
  private exited: boolean[] = [];
  private handlers: Handler[] = [];
  private failure: Error | null = null;
  private rejectWaiters = new Set<(e: Error) => void>();

  get size(): number {
    return this.workers.length;
  }

  /** Starts `inits.length` workers and resolves when all are ready. */
  async start(inits: WorkerInit[]): Promise<void> {
    const url = new URL('../worker/worker-main.js', import.meta.url);
    const ready = this.collect(inits.length, (m) => m.type === 'ready');
    inits.forEach((init, w) => {
      const worker = new Worker(url);
      this.exited[w] = false;
      worker.on('message', (m: WorkerToMain) => {
        if (m.type === 'fatal') return this.fail(new Error(`worker ${w} failed: ${m.message}`));
        for (const h of this.handlers) h(w, m);
      });
      worker.on('error', (e) => this.fail(new Error(`worker ${w} crashed: ${e.message}`)));
      worker.on('exit', (code) => {
        this.exited[w] = true;
        if (code !== 0) this.fail(new Error(`worker ${w} exited with code ${code}`));
      });
      this.workers.push(worker);
      worker.postMessage({ type: 'init', ...init } satisfies MainToWorker);
    });
    await ready;
  }

  post(w: number, m: MainToWorker): void {
    this.workers[w]?.postMessage(m);
  }

  broadcast(m: MainToWorker): void {
    this.workers.forEach((_, w) => this.post(w, m));
  }

  /** Calls `on` for every message until the returned function is called. */
  listen(on: Handler): () => void {
    this.handlers.push(on);
    return () => {
      this.handlers = this.handlers.filter((h) => h !== on);
    };
  }

  /**
   * Resolves once `count` messages matching `match` arrived (one per worker, usually), each also
   * passed to `each`; rejects as soon as a worker fails.
   */
  collect(count: number, match: (m: WorkerToMain) => boolean, each?: (w: number, m: WorkerToMain) => void): Promise<void> {
    let left = count;
    let stop = () => {};
    const done = new Promise<void>((resolve) => {
      if (left === 0) return resolve();
      stop = this.listen((w, m) => {
        if (!match(m)) return;
        each?.(w, m);
        if (--left === 0) resolve();
      });
    });
    return this.orFailure(done).finally(stop);
  }

  /** Waits for `p`, or rejects as soon as a worker fails. */
  orFailure<T>(p: Promise<T>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    let onFail: (e: Error) => void = () => {};
    const failed = new Promise<never>((_, reject) => {
      onFail = reject;
      this.rejectWaiters.add(reject);
    });
    return Promise.race([p, failed]).finally(() => this.rejectWaiters.delete(onFail));
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const reject of this.rejectWaiters) reject(e);
  }

  /** Asks every live worker to exit, terminating any that has not after 5 s. */
  async shutdown(): Promise<void> {
    await Promise.all(
      this.workers.map((w, i) => {
        if (this.exited[i]) return Promise.resolve();
        return new Promise<void>((resolve) => {
          const kill = setTimeout(() => void w.terminate().then(() => resolve()), 5000);
          w.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          w.removeAllListeners('error');
          w.on('error', () => {});
          w.postMessage({ type: 'exit' } satisfies MainToWorker);
        });
      }),
    );
    this.workers = [];
  }
}
