// Soak: a long run at --parallel 256 against the simulator with faults on; the client's RSS is
// sampled every second and must not grow after warm-up (nothing kept per request). Minutes from
// EVALPERF_SOAK_MINUTES (default 20); --quick runs 9 s.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, round, startSim } from '../lib.mjs';

export const description = 'RSS of the client over a long faulty run at 256 streams: growth after warm-up';

const FAULTS = '500:0.01,429:0.01,reset-mid:0.01,error-event:0.01,malformed:0.01,truncated:0.01,stall:0.005';

const rssMb = (pid) => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
};

export async function run({ quick = false } = {}) {
  const minutes = quick ? 0.15 : Number(process.env.EVALPERF_SOAK_MINUTES ?? 20);
  const sim = await startSim(['--itl-ms', '15', '--max-num-seqs', '256', '--faults', FAULTS]);
  const out = mkdtempSync(join(tmpdir(), 'evalperf-soak-'));
  try {
    const child = spawn(process.execPath, [CLI, 'run', '--url', sim.url, '--parallel', '256', '--duration', `${minutes}m`, '--max-tokens', '64', '--timeout', '5s', '--no-tui', '--out', out], { stdio: 'ignore' });
    const samples = [];
    const started = Date.now();
    const timer = setInterval(() => {
      const mb = rssMb(child.pid);
      if (mb !== null) samples.push({ t: (Date.now() - started) / 1000, mb });
    }, 1000);
    await new Promise((resolve) => child.once('exit', resolve));
    clearInterval(timer);
    const summary = JSON.parse(readFileSync(join(out, readdirSync(out)[0], 'summary.json'), 'utf8'));
    const step = summary.steps[0];
    // Warm-up: the first tenth of the run (at least 20 s): pools, JIT, histogram buckets.
    const warm = quick ? 3 : Math.max(20, (minutes * 60) / 10);
    const after = samples.filter((s) => s.t >= warm);
    const at = (t) => after.find((s) => s.t >= t)?.mb ?? null;
    const last = after.at(-1)?.mb ?? null;
    const first = after[0]?.mb ?? null;
    return [
      {
        minutes,
        requests: step.requests.total,
        failed: step.requests.failed,
        by_class: JSON.stringify(step.requests.by_class),
        rss_after_warmup_mb: round(first, 1),
        rss_at_half_mb: round(at((minutes * 60) / 2), 1),
        rss_end_mb: round(last, 1),
        rss_max_after_warmup_mb: round(Math.max(...after.map((s) => s.mb)), 1),
        growth_after_warmup_mb: first !== null && last !== null ? round(last - first, 1) : null,
        client_bound: step.client.client_bound,
      },
    ];
  } finally {
    await sim.close();
    rmSync(out, { recursive: true, force: true });
  }
}
