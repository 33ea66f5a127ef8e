import { render, useInput, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import { Dashboard } from './Dashboard.js';
import { buildFrame, type Line } from './frame.js';
import type { LiveRunState } from './live-state.js';

/**
 * Checked 10 times a second, drawn only when the state changed (a new 250 ms interval, a phase)
 * or once a second for the clock: the dashboard must never be what the client spends its time on.
 */
const FRAME_MS = 100;
const CLOCK_MS = 1000;

interface AppProps {
  state: LiveRunState;
  color: boolean;
  keys: boolean;
  onStopKey(): void;
}

function App({ state, color, keys, onStopKey }: AppProps) {
  const { stdout } = useStdout();
  const [width, setWidth] = useState(stdout.columns || 80);
  const [lines, setLines] = useState<Line[]>(() => buildFrame(state, stdout.columns || 80, performance.now()));
  useEffect(() => {
    const onResize = () => setWidth(stdout.columns || 80);
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout]);
  useEffect(() => {
    let drawn = -1;
    let drawnAt = 0;
    const tick = () => {
      const now = performance.now();
      if (state.version === drawn && now - drawnAt < CLOCK_MS) return;
      drawn = state.version;
      drawnAt = now;
      setLines(buildFrame(state, width, now));
    };
    tick();
    const timer = setInterval(tick, FRAME_MS);
    return () => clearInterval(timer);
  }, [state, width]);
  useInput(
    (input, key) => {
      if (input === 'q' || input === 'Q' || (key.ctrl && input === 'c') || key.escape) onStopKey();
    },
    { isActive: keys },
  );
  return <Dashboard lines={lines} color={color} />;
}

export interface DashboardHandle {
  /** Renders the last frame and gives the terminal back (cursor, raw mode). */
  close(): Promise<void>;
}

/**
 * Mounts the live dashboard on this terminal. Keys (q, Ctrl-C, Esc) call `onStopKey`: the
 * first asks for a graceful stop, the second for an abort; the caller decides. Raw-mode keys
 * are read only when stdin is a terminal; otherwise signals still stop the run.
 */
export function startDashboard(state: LiveRunState, onStopKey: () => void): DashboardHandle {
  const color = !('NO_COLOR' in process.env) || process.env.NO_COLOR === '';
  const keys = Boolean(process.stdin.isTTY);
  const instance = render(<App state={state} color={color} keys={keys} onStopKey={onStopKey} />, {
    exitOnCtrlC: false,
    patchConsole: false,
  });
  let closed = false;
  return {
    async close() {
      if (closed) return;
      closed = true;
      state.finish();
      instance.rerender(<App state={state} color={color} keys={false} onStopKey={onStopKey} />);
      instance.unmount();
      await instance.waitUntilExit().catch(() => {});
    },
  };
}
