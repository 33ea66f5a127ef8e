import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import type { ClientHealth } from '../metrics/client-health.js';

/**
 * Event-loop delay and utilisation of this worker, over a window that `take()` closes. A 2 ms
 * sampling resolution sees the blocks that matter (several ms) at ~500 wakeups/s.
 */
export class HealthWindow {
  private readonly delay: IntervalHistogram;
  private elu: EventLoopUtilization;

  constructor() {
    this.delay = monitorEventLoopDelay({ resolution: 2 });
    this.delay.enable();
    this.elu = performance.eventLoopUtilization();
  }

  take(): ClientHealth {
    const p99ns = this.delay.count > 0 ? this.delay.percentile(99) : 0;
    const now = performance.eventLoopUtilization();
    const used = performance.eventLoopUtilization(now, this.elu);
    this.elu = now;
    this.delay.reset();
    return { loopDelayP99Ms: p99ns / 1e6, utilization: used.utilization };
  }

  close(): void {
    this.delay.disable();
  }
}
