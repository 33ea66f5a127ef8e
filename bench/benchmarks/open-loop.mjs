// Open-loop accuracy: at target rates, the achieved send rate and the schedule lag (sent minus
// scheduled: the client's lateness, queue delay with no cap). Target: within 1% and p99 lag
// <= 2 ms at 1,000 req/s. One second of the same load runs first as --warmup (not measured): a
// cold client (JIT) runs late for its first second or two, which is not what this measures.
// client_cpu_wait_ms: how long the client's threads waited for a CPU (schedstat; see lib.mjs).
import { join } from 'node:path';
import { percentile, readJsonl, round, runEvalperf, startSim } from '../lib.mjs';

export const description = 'achieved rate vs target and schedule lag p50/p99, Poisson and constant';

export async function run({ quick = false } = {}) {
  const rows = [];
  const rates = quick ? [100] : [100, 1000, 5000];
  const seconds = quick ? 2 : 10;
  for (const rate of rates) {
    for (const arrival of quick ? ['poisson'] : ['poisson', 'constant']) {
      const sim = await startSim(['--itl-ms', '1', '--itl-ms-per-seq', '0', '--prefill-ms-per-token', '0', '--max-num-seqs', '4096']);
      try {
        const r = await runEvalperf(['--url', sim.url, '--rate', String(rate), '--arrival', arrival, '--number', String(rate * seconds), '--warmup', String(quick ? 10 : rate), '--max-tokens', '2', '--input-tokens', '8'], { threads: true });
        const lines = readJsonl(join(r.dir, 'requests.jsonl')).filter((l) => l.sent_at !== null);
        const sent = lines.map((l) => l.sent_at).sort((a, b) => a - b);
        const lag = lines.map((l) => l.sent_at - l.scheduled_at);
        const achieved = (sent.length - 1) / ((sent.at(-1) - sent[0]) / 1000);
        const s = r.summary.steps[0];
        rows.push({
          rate,
          arrival,
          requests: lines.length,
          achieved_rate: round(achieved, 1),
          error_pct: round((100 * (achieved - rate)) / rate, 2),
          lag_p50_ms: round(percentile(lag, 50)),
          lag_p99_ms: round(percentile(lag, 99)),
          failed: s.requests.failed,
          loop_delay_p99_ms: s.client.loop_delay_p99_ms,
          client_cpu_ms: r.threads?.cpu_ms ?? null,
          client_cpu_wait_ms: r.threads?.cpu_wait_ms ?? null,
          client_bound: s.client.client_bound,
        });
        r.cleanup();
      } finally {
        await sim.close();
      }
    }
  }
  return rows;
}
