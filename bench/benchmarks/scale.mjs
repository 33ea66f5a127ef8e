// Scale: 10,000 concurrent streams held open against a slow simulator: all served, client RSS,
// event-loop delay. Target: all 10,000 served, RSS <= 1 GB.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, round, startSim } from '../lib.mjs';

export const description = '10,000 concurrent streams: served, client RSS, event-loop delay';

export async function run({ quick = false } = {}) {
  const streams = quick ? 300 : 10_000;
  // 200 ms a token, 20 tokens: every stream stays open ~4 s, all at once.
  const sim = await startSim(['--itl-ms', '200', '--itl-ms-per-seq', '0', '--prefill-ms-per-token', '0', '--max-num-seqs', String(streams)]);
  const out = mkdtempSync(join(tmpdir(), 'evalperf-scale-'));
  try {
    const child = spawn(process.execPath, [CLI, 'run', '--url', sim.url, '--parallel', String(streams), '--number', String(streams), '--max-tokens', '20', '--input-tokens', '16', '--no-tui', '--out', out], { stdio: 'ignore' });
    let peak = 0;
    const timer = setInterval(() => {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      } catch {
        /* exited */
      }
    }, 200);
    await new Promise((resolve) => child.once('exit', resolve));
    clearInterval(timer);
    const summary = JSON.parse(readFileSync(join(out, readdirSync(out)[0], 'summary.json'), 'utf8'));
    const s = summary.steps[0];
    return [
      {
        streams,
        succeeded: s.requests.succeeded,
        failed: s.requests.failed,
        concurrency_max: s.concurrency.max,
        connect_ms: summary.connect?.ms ?? null,
        ttft_p99_ms: s.latency_ms.ttft?.p99 ?? null,
        itl_p99_ms: s.latency_ms.itl?.p99 ?? null,
        rss_peak_mb: round(peak, 0),
        loop_delay_p99_ms: s.client.loop_delay_p99_ms,
        client_bound: s.client.client_bound,
      },
    ];
  } finally {
    await sim.close();
    rmSync(out, { recursive: true, force: true });
  }
}
