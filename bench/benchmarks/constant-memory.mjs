// Constant memory: a million short requests; the client's RSS at 10% and at 100% of the run.
// Target: growth <= 50 MB (histograms and streamed records, nothing kept per request).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, round, startSim } from '../lib.mjs';

export const description = 'client RSS at 10% and 100% of 1,000,000 short requests';

export async function run({ quick = false } = {}) {
  const total = quick ? 3000 : 1_000_000;
  const sim = await startSim(['--itl-ms', '0', '--itl-ms-per-seq', '0', '--prefill-ms-per-token', '0', '--max-num-seqs', '256']);
  const out = mkdtempSync(join(tmpdir(), 'evalperf-mem-'));
  try {
    const child = spawn(process.execPath, [CLI, 'run', '--url', sim.url, '--parallel', '128', '--number', String(total), '--max-tokens', '1', '--input-tokens', '8', '--no-tui', '--out', out], { stdio: 'ignore' });
    const samples = [];
    const timer = setInterval(() => {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        const dir = readdirSync(out)[0];
        const lines = dir ? statSync(join(out, dir, 'requests.jsonl'), { throwIfNoEntry: false })?.size ?? 0 : 0;
        if (m) samples.push({ mb: Number(m[1]) / 1024, bytes: lines });
      } catch {
        /* not there yet, or exited */
      }
    }, 500);
    const started = Date.now();
    await new Promise((resolve) => child.once('exit', resolve));
    clearInterval(timer);
    const dir = join(out, readdirSync(out)[0]);
    const finalBytes = statSync(join(dir, 'requests.jsonl')).size;
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).steps[0];
    // Progress is read off the size of requests.jsonl (lines are about the same length).
    const at = (f) => samples.find((x) => x.bytes >= f * finalBytes)?.mb ?? null;
    const at10 = at(0.1);
    const atEnd = samples.at(-1)?.mb ?? null;
    return [
      {
        requests: s.requests.total,
        seconds: round((Date.now() - started) / 1000, 0),
        requests_per_s: s.throughput.requests_per_s,
        rss_at_10pct_mb: round(at10, 1),
        rss_at_100pct_mb: round(atEnd, 1),
        growth_mb: at10 !== null && atEnd !== null ? round(atEnd - at10, 1) : null,
        requests_jsonl_mb: round(finalBytes / 2 ** 20, 0),
      },
    ];
  } finally {
    await sim.close();
    rmSync(out, { recursive: true, force: true });
  }
}
