// Client cost: CPU time of the whole evalperf process (main thread and workers) per content
// event and per request, against a simulator with zero inter-token latency, so the client is
// the busy side. Target: <= 2.5 us per event including JSON parsing.
import { round, runEvalperf, startSim } from '../lib.mjs';

export const description = 'client CPU per content event and per request (simulator at zero ITL)';

export async function run({ quick = false } = {}) {
  const rows = [];
  for (const parallel of quick ? [16] : [16, 256]) {
    const sim = await startSim(['--itl-ms', '0', '--itl-ms-per-seq', '0', '--prefill-ms-per-token', '0', '--max-num-seqs', String(parallel)]);
    try {
      const r = await runEvalperf(['--url', sim.url, '--parallel', String(parallel), '--number', String(quick ? 64 : 2000), '--max-tokens', quick ? '32' : '256', '--input-tokens', '16']);
      const s = r.summary.steps[0];
      rows.push({
        parallel,
        requests: s.requests.succeeded,
        events_per_s: round((s.tokens.output_total) / s.window_s, 0),
        cpu_us_per_event: s.client.cpu_us_per_event,
        cpu_us_per_request: s.client.cpu_us_per_request,
        events_per_cpu_s: s.client.cpu_us_per_event ? round(1e6 / s.client.cpu_us_per_event, 0) : null,
        client_bound: s.client.client_bound,
      });
      r.cleanup();
    } finally {
      await sim.close();
    }
  }
  return rows;
}
