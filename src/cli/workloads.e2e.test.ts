import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepSummary } from '../metrics/summary.js';
import { readJson, runCli, runDir, startServe, tempDir } from './e2e.test-util.js';

/** Workload features through the built CLI against one simulator on 127.0.0.1. */
type Summary = { steps: StepSummary[]; slo_stop: { step: number; attainment: number; floor: number; skipped: number } | null };

describe('workloads against the simulator', () => {
  let sim: Awaited<ReturnType<typeof startServe>>;
  const out = tempDir('workloads');
  beforeAll(async () => {
    sim = await startServe(['--itl-ms', '2', '--itl-ms-per-seq', '0', '--prefill-ms-per-token', '0']);
  });
  afterAll(async () => {
    await sim?.close();
    out.remove();
  });

  it('--stop-on-slo ends a sweep after the first step below the floor, and says so', async () => {
    const dir = join(out.path, 'stop');
    // e2e <= 1 ms cannot be met (8 tokens at 2 ms each): step 0 misses, steps 1 and 2 are skipped.
    const r = await runCli(['run', '--url', sim.url, '--parallel', '1', '2', '4', '--number', '4', '--max-tokens', '8', '--slo', 'e2e<=1ms', '--stop-on-slo', '0.5', '--json', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.steps).toHaveLength(1);
    expect(s.slo_stop).toEqual({ step: 0, attainment: 0, floor: 0.5, skipped: 2 });
    expect(r.stderr).toMatch(/stopped the sweep after step 0: SLO attainment 0 < 0\.5 \(--stop-on-slo\); 2 higher steps not run/);
    expect(readJson<Summary>(join(runDir(dir), 'summary.json')).slo_stop).toMatchObject({ step: 0 });
  });

  it('--stop-on-slo runs every step while the SLO holds', async () => {
    const dir = join(out.path, 'hold');
    const r = await runCli(['run', '--url', sim.url, '--parallel', '1', '2', '--number', '4', '--max-tokens', '8', '--slo', 'e2e<=30s', '--stop-on-slo', '0.9', '--json', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.steps.map((x) => x.slo?.attainment)).toEqual([1, 1]);
    expect(s.slo_stop).toBeNull();
  });
});
