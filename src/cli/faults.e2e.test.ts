import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StepSummary } from '../metrics/summary.js';
import { EXPECTED_CLASS, FAULT_KINDS, type FaultKind } from '../sim/faults.js';
import { readJsonl, runCli, runDir, startServe, tempDir } from './e2e.test-util.js';

/**
 * A stress test pushes servers into failure on purpose: evalperf must keep measuring, classify
 * every failure per the contract and keep failures out of latency histograms. The simulator
 * logs the fault it injected into each request; the two are joined request by request.
 */
type Line = { index: number; error_class: string | null; status: number; first_token_at: number | null };

describe('faults', () => {
  const out = tempDir('faults');
  afterAll(() => out.remove());

  it('every injected fault is classified as the contract says, request by request, and the run goes on', async () => {
    const log = join(out.path, 'sim-requests.jsonl');
    const faults = FAULT_KINDS.map((k) => `${k}:0.06`).join(',');
    const sim = await startServe(['--itl-ms', '3', '--faults', faults, '--request-log', log, '--seed', '7']);
    try {
      const dir = join(out.path, 'run');
      const r = await runCli(['run', '--url', sim.url, '--parallel', '16', '--number', '300', '--max-tokens', '12', '--timeout', '2s', '--json', '--out', dir], { timeoutMs: 90_000 });
      expect(r.code, r.stderr).toBe(0);
      await sim.close();
      const runId = (JSON.parse(r.stdout) as { run_id: string }).run_id;
      const injected = new Map(readJsonl<{ key: string; fault: FaultKind | null }>(log).map((l) => [l.key, l.fault]));
      const lines = readJsonl<Line>(join(runDir(dir), 'requests.jsonl'));
      expect(lines).toHaveLength(300);
      const seen = new Set<string>();
      for (const l of lines) {
        const key = `${runId}-0-${l.index}`;
        expect(injected.has(key), `request ${l.index} not in the simulator's log`).toBe(true);
        const fault = injected.get(key)!;
        expect(l.error_class, `request ${l.index} with fault ${fault}`).toBe(fault === null ? null : EXPECTED_CLASS[fault]);
        if (fault) seen.add(fault);
      }
      expect([...seen].sort()).toEqual([...FAULT_KINDS].sort()); // the seed draws every kind
      const s = (JSON.parse(r.stdout) as { steps: StepSummary[] }).steps[0]!;
      const expected: Record<string, number> = {};
      for (const l of lines) if (l.error_class) expected[l.error_class] = (expected[l.error_class] ?? 0) + 1;
      expect(s.requests.by_class).toEqual(expected);
      // Failures never enter latency histograms: one TTFT and one E2E per success.
      expect(s.latency_ms.e2e!.count).toBe(s.requests.succeeded);
      expect(s.latency_ms.ttft!.count).toBe(s.requests.succeeded);
    } finally {
      await sim.close();
    }
  }, 120_000);

  it('loses no request to a server that closes the socket after every stream (as llama.cpp does)', async () => {
    const sim = await startServe(['--itl-ms', '2', '--close-after-stream']);
    try {
      const r = await runCli(['run', '--url', sim.url, '--parallel', '32', '--number', '500', '--max-tokens', '8', '--json', '--out', join(out.path, 'close')], { timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(0);
      const s = (JSON.parse(r.stdout) as { steps: StepSummary[] }).steps[0]!;
      expect(s.requests).toEqual({ total: 500, succeeded: 500, failed: 0, by_class: {} });
    } finally {
      await sim.close();
    }
  }, 90_000);

  it('the embedded simulator takes --sim-faults', async () => {
    const dir = join(out.path, 'embedded');
    const r = await runCli(['run', '--parallel', '4', '--number', '40', '--max-tokens', '4', '--sim-faults', '503:0.5', '--json', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    const s = (JSON.parse(r.stdout) as { steps: StepSummary[] }).steps[0]!;
    expect(s.requests.by_class.http_5xx).toBeGreaterThan(5);
    expect(JSON.parse(readFileSync(join(runDir(dir), 'run.json'), 'utf8')).simulator.faults).toEqual([{ kind: '503', p: 0.5 }]);
  });
});
