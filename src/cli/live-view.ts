import type { RunPlan } from '../config/run-plan.js';
import type { EngineListener } from '../engine/engine.js';
import { LiveRunState, type LiveHeader } from '../ui/live-state.js';

/** A person is watching: stdout is a terminal, not CI, and --no-tui was not given. */
export function interactive(plan: Pick<RunPlan, 'tui'>, env: NodeJS.ProcessEnv = process.env, isTTY = Boolean(process.stdout.isTTY)): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
  return plan.tui && isTTY && !ci;
}

/**
 * Starts the Ink dashboard (imported here, lazily, so non-interactive runs never load React)
 * and returns the engine listener that feeds it.
 */
export async function startLiveView(header: LiveHeader, onStopKey: () => void): Promise<{ listener: EngineListener; close(): Promise<void> }> {
  // React's development build is several times slower to load and to render, with checks meant
  // for people writing React: the dashboard uses the production build unless told otherwise.
  process.env.NODE_ENV ??= 'production';
  const { startDashboard } = await import('../ui/run-dashboard.js');
  const state = new LiveRunState(header);
  const handle = startDashboard(state, onStopKey);
  return {
    listener: {
      phase: (p) => state.onPhase(p),
      interval: (v, step) => state.onInterval(v, step),
      records: (rs) => state.onRecords(rs),
    },
    close: () => handle.close(),
  };
}
