import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { rec } from '../metrics/fixtures.test-util.js';
import { Dashboard } from './Dashboard.js';
import { buildFrame, frameText } from './frame.js';
import { closedPlan, liveState, openPlan } from './fixtures.test-util.js';

function show(state: ReturnType<typeof liveState>, width: number, nowMs: number, color = false): string {
  const { lastFrame, unmount } = render(<Dashboard lines={buildFrame(state, width, nowMs)} color={color} />);
  const text = lastFrame() ?? '';
  unmount();
  return text;
}

const row = (text: string, label: string) => text.split('\n').find((l) => l.startsWith(label)) ?? '';

describe('Dashboard', () => {
  it('shows the target, load, progress, rates and percentiles of a closed loop', () => {
    const text = show(liveState({ seconds: 3 }), 80, 3000);
    expect(text).toContain('evalperf  http://127.0.0.1:8000/v1  model sim-llm');
    // 24 done in 3 s: 76 left at 8/s is 9.5 s.
    expect(text).toMatch(/closed loop · 8 parallel\s+3\.0s elapsed · ~9\.5s left/);
    expect(text).toMatch(/24\/100\s+24%/);
    // 2 requests per 250 ms = 8 req/s, 11 tokens each = 88 output tok/s, +50 input each = 488 total.
    expect(row(text, 'req/s')).toMatch(/^req\/s\s+8\.0\s+8\.0$/);
    expect(row(text, 'output tok/s')).toMatch(/^output tok\/s\s+88\.0\s+88\.0$/);
    expect(row(text, 'total tok/s')).toMatch(/^total tok\/s\s+488\s+488$/);
    expect(row(text, 'TTFT')).toMatch(/^TTFT(\s+50\.0){6}$/);
    expect(row(text, 'TPOT')).toMatch(/^TPOT(\s+10\.0){6}$/);
    expect(text).toContain('errors        none');
    expect(text).toContain('loop delay p99 2.0 ms · utilisation 25%');
    expect(text).not.toContain('CLIENT-BOUND');
    expect(text).toContain('q: stop');
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(text).not.toMatch(/goodput|queue|waiting/);
  });

  it('fits 80 columns, and at 140 puts the three open-loop charts side by side', () => {
    const narrow = show(liveState({ plan: openPlan, seconds: 20 }), 80, 20_000);
    expect(Math.max(...narrow.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(narrow).toMatch(/output tok\/s\s+TTFT p99 ms\n/);
    expect(narrow).toMatch(/\nqueue p99 ms\n/);
    // ink-testing-library's terminal is 100 columns wide: check the 140-column frame as text.
    const wide = frameText(buildFrame(liveState({ plan: openPlan, seconds: 20 }), 140, 20_000));
    expect(wide).toMatch(/output tok\/s\s+TTFT p99 ms\s+queue p99 ms/);
    expect(Math.max(...wide.split('\n').map((l) => l.length))).toBeLessThanOrEqual(140);
    expect(wide).toMatch(/open loop · 20 req\/s poisson · cap 16\s+20\.0s elapsed · ~40\.0s left/);
    expect(wide).toMatch(/20\.0s\/1m00s\s+33%/);
    expect(row(wide, 'waiting')).toMatch(/^waiting\s+0\s+for a slot/);
    expect(row(wide, 'queue')).toMatch(/^queue(\s+0\.0){6}$/);
  });

  it('warns when the client is bound, with goodput when SLOs are set', () => {
    const text = show(liveState({ loopDelayMs: 25, slo: true }), 100, 3000);
    expect(text).toContain('loop delay p99 25.0 ms · utilisation 25%   CLIENT-BOUND: figures not trustworthy');
    expect(row(text, 'goodput req/s')).toMatch(/^goodput req\/s\s+8\.0\s+8\.0 \(100% in SLO\)$/);
  });

  it('counts errors by class and shows the latest message, truncated to the width', () => {
    const failures = [
      rec({ index: 900, status: 503, errorClass: 'http_5xx', errorMessage: 'HTTP 503: engine overloaded' }),
      rec({ index: 901, status: 0, errorClass: 'timeout', errorMessage: `no complete response within 5 ms (--timeout) ${'x'.repeat(200)}` }),
    ];
    const text = show(liveState({ failures }), 80, 3000);
    const line = row(text, 'errors');
    expect(line).toMatch(/^errors\s+http_5xx 1 · timeout 1\s+latest: no complete response within 5 ms/);
    expect(line.length).toBeLessThanOrEqual(80);
    expect(line.endsWith('…')).toBe(true);
  });

  it('says what it is doing before the step and while stopping', () => {
    const state = liveState();
    expect(frameText(buildFrame(Object.assign(Object.create(Object.getPrototypeOf(state)), state, { phase: 'connecting' }), 80, 0))).toContain('opening 8 connections');
    state.onPhase({ kind: 'pause', ms: 5000, nextStep: 1, of: 3 });
    expect(show(state, 80, 3000)).toContain('pausing 5.0s before step 2/3 · q: stop');
    state.onPhase({ kind: 'stopping', abort: false });
    expect(show(state, 80, 3000)).toContain('stopping: 0 in flight finishing · q again to abort them');
    state.onPhase({ kind: 'stopping', abort: true });
    expect(show(state, 80, 3000)).toContain('aborting in-flight requests');
  });

  it('has no escape codes without colour (NO_COLOR)', () => {
    const text = show(liveState({ loopDelayMs: 25 }), 80, 3000, false);
    expect(text).not.toContain('\u001b[');
  });

  it('a step that has not finished an interval yet shows dashes, not zeros or NaN', () => {
    const state = liveState({ seconds: 0, plan: closedPlan });
    const text = show(state, 80, 100);
    expect(text).not.toMatch(/NaN|undefined|Infinity/);
    expect(row(text, 'TTFT')).toMatch(/^TTFT(\s+-){6}$/);
    expect(text).toContain('(waiting for data)');
  });
});
