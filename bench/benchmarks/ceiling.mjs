// Ceiling: the most content events/s and requests/s one evalperf process sustains here before
// it flags itself client-bound, by worker count: a sweep of loads, and a last row per worker
// count naming the highest load not flagged. The simulator shares the 2 cores, so this is the
// ceiling of the pair on this machine.
import { round, runEvalperf, startSim } from '../lib.mjs';

export const description = 'events/s and requests/s by load and worker count, and the client-bound verdict';

export async function run({ quick = false } = {}) {
  const rows = [];
  const levels = quick ? [[16, 1]] : [[64, 1], [128, 1], [192, 1], [256, 1], [512, 1], [1024, 1], [128, 2], [256, 2], [512, 2], [1024, 2]];
  for (const [parallel, workers] of levels) {
    const sim = await startSim(['--itl-ms', '5', '--itl-ms-per-seq', '0', '--prefill-ms-per-token', '0', '--max-num-seqs', String(parallel)]);
    try {
      const r = await runEvalperf(['--url', sim.url, '--parallel', String(parallel), '--workers', String(workers), '--number', String(quick ? 32 : parallel * 6), '--max-tokens', quick ? '8' : '64', '--input-tokens', '16']);
      const s = r.summary.steps[0];
      rows.push({
        parallel,
        workers,
        requests_per_s: s.throughput.requests_per_s,
        events_per_s: round(s.tokens.output_total / s.window_s, 0),
        itl_p50_ms: s.latency_ms.itl?.p50 ?? null,
        loop_delay_p99_ms: s.client.loop_delay_p99_ms,
        utilization_max: s.client.utilization_max,
        client_bound: s.client.client_bound,
      });
      r.cleanup();
    } finally {
      await sim.close();
    }
  }
  for (const workers of new Set(rows.map((r) => r.workers))) {
    const ok = rows.filter((r) => r.workers === workers && !r.client_bound).sort((a, b) => b.events_per_s - a.events_per_s)[0];
    rows.push({ parallel: ok ? `ceiling: ${ok.parallel}` : 'ceiling: none', workers, requests_per_s: ok?.requests_per_s ?? 0, events_per_s: ok?.events_per_s ?? 0, itl_p50_ms: ok?.itl_p50_ms ?? 0, loop_delay_p99_ms: ok?.loop_delay_p99_ms ?? 0, utilization_max: ok?.utilization_max ?? 0, client_bound: false });
  }
  return rows;
}
