import type { EngineListener } from './engine.js';

/** One listener that forwards every engine event to several, in order. */
export function fanOut(listeners: readonly EngineListener[]): EngineListener {
  return {
    phase: (p) => listeners.forEach((l) => l.phase?.(p)),
    interval: (v, step) => listeners.forEach((l) => l.interval?.(v, step)),
    records: (rs, runStart) => listeners.forEach((l) => l.records?.(rs, runStart)),
    stepDone: (r) => listeners.forEach((l) => l.stepDone?.(r)),
  };
}
