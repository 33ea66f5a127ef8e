import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

/**
 * The engine compares performance.now() values taken in workers with ones taken on the main
 * thread (step start times, run start). That is only sound if workers share the main thread's
 * time origin, which this checks on the running Node.
 */
describe('worker time origin', () => {
  it('workers share the main thread timeOrigin, and their now() falls between two main-thread readings', async () => {
    const w = new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.on('message', () => parentPort.postMessage({ origin: performance.timeOrigin, now: performance.now() }));`,
      { eval: true },
    );
    try {
      await new Promise((r) => w.once('online', r));
      const samples: { before: number; now: number; after: number; origin: number }[] = [];
      for (let i = 0; i < 20; i++) {
        const before = performance.now();
        const got = await new Promise<{ origin: number; now: number }>((resolve) => {
          w.once('message', resolve);
          w.postMessage(0);
        });
        samples.push({ before, after: performance.now(), ...got });
      }
      for (const s of samples) {
        expect(s.origin).toBe(performance.timeOrigin);
        expect(s.now).toBeGreaterThanOrEqual(s.before);
        expect(s.now).toBeLessThanOrEqual(s.after);
      }
    } finally {
      await w.terminate();
    }
  });
});
