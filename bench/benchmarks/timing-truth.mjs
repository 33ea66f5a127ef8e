// Timing truth: how much time does the client add to what it reports? The simulator logs when
// it wrote each content chunk (server clock, same host); each request's client-side first and
// last token times are compared with the server's first and last writes. The differences are
// loopback delivery plus everything the client adds (event-loop lag, parsing, batching).
// Same load with the dashboard off and on (in a pseudo-terminal) shows what the dashboard costs.
//
// Which part of a lag is the client's own work and which is the machine: the simulator's write
// times are its own clock, so a simulator that falls behind its schedule does not count here;
// but on a shared machine the client's threads also wait for a CPU. The table gives, from
// Linux's schedstat, how long the client's threads (all of them) and the simulator's were
// runnable but waiting for a CPU during the run, beside the CPU they used. The first round of
// a closed loop is also the client's cold start (JIT): lags are given for all requests and for
// the requests after the first round.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { rmSync } from 'node:fs';
import { percentile, readJsonl, round, runEvalperf, sampleThreads, startSim } from '../lib.mjs';

export const description = 'client-added TTFT and last-token error vs the server-side write log, and client CPU, dashboard off/on';

const LEVELS = [
  { parallel: 1, rounds: 20, tty: false },
  { parallel: 64, rounds: 4, tty: false },
  { parallel: 64, rounds: 4, tty: true },
  { parallel: 512, rounds: 3, tty: false },
  { parallel: 512, rounds: 3, tty: true },
  { parallel: 2048, rounds: 2, tty: false },
];

export async function run({ quick = false } = {}) {
  const rows = [];
  for (const level of quick ? [{ parallel: 4, rounds: 2, tty: false }] : LEVELS) {
    const log = join(tmpdir(), `evalperf-timing-${process.pid}-${level.parallel}-${level.tty}.jsonl`);
    rmSync(log, { force: true });
    // The simulator never queues (max-num-seqs = parallel) and its step does not grow with the
    // batch, so server-side timing is flat and every difference is the client's or the wire's.
    const sim = await startSim(['--itl-ms', '20', '--itl-ms-per-seq', '0', '--prefill-ms-per-token', '0', '--max-num-seqs', String(level.parallel), '--request-log', log]);
    try {
      const number = level.parallel * level.rounds;
      const simThreads = sampleThreads(sim.pid);
      const r = await runEvalperf(['--url', sim.url, '--parallel', String(level.parallel), '--number', String(number), '--max-tokens', quick ? '8' : '64', '--input-tokens', '32'], { tty: level.tty, threads: true });
      const simTimes = simThreads.stop();
      await sim.close();
      rows.push({ ...compare(level, r, readJsonl(log)), client_cpu_ms: r.threads?.cpu_ms ?? null, client_cpu_wait_ms: r.threads?.cpu_wait_ms ?? null, sim_cpu_ms: simTimes?.cpu_ms ?? null, sim_cpu_wait_ms: simTimes?.cpu_wait_ms ?? null });
      r.cleanup();
    } finally {
      await sim.close();
      rmSync(log, { force: true });
    }
  }
  return rows;
}

/**
 * The first round boundary of a closed loop: from the first request of round 1 to end to the
 * first send of round 2 (a closed-loop user sends again as its reply ends, but undici writes a
 * request on a reused socket only in the event loop's next check phase, after every socket
 * ready now has been read), and how long round 2's sends take from first to last.
 */
function burst(records, parallel) {
  const ends = records.filter((x) => x.index < parallel && x.end_at !== null).map((x) => x.end_at);
  const sends = records.filter((x) => x.index >= parallel && x.index < 2 * parallel && x.sent_at !== null).map((x) => x.sent_at);
  if (parallel < 2 || ends.length === 0 || sends.length === 0) return {};
  const firstSend = Math.min(...sends);
  return { round2_first_send_after_ms: round(firstSend - Math.min(...ends)), round2_send_span_ms: round(Math.max(...sends) - firstSend) };
}

function compare(level, r, serverLines) {
  const server = new Map(serverLines.map((l) => [l.key, l]));
  const start = r.summary.run_start_epoch_ms;
  const ttftLag = [];
  const laterLag = []; // requests after the first round
  const lastLag = [];
  const records = readJsonl(join(r.dir, 'requests.jsonl'));
  for (const rec of records) {
    const s = server.get(`${r.summary.run_id}-0-${rec.index}`);
    if (!s || rec.error_class !== null || rec.first_token_at === null) continue;
    ttftLag.push(start + rec.first_token_at - s.first_ms);
    if (rec.index >= level.parallel) laterLag.push(start + rec.first_token_at - s.first_ms);
    lastLag.push(start + rec.last_token_at - (s.first_ms + (s.offsets_ms.at(-1) ?? 0)));
  }
  const step = r.summary.steps[0];
  return {
    parallel: level.parallel,
    dashboard: level.tty ? 'on' : 'off',
    requests: step.requests.succeeded,
    matched: ttftLag.length,
    first_token_lag_p50_ms: round(percentile(ttftLag, 50)),
    first_token_lag_p99_ms: round(percentile(ttftLag, 99)),
    first_token_lag_max_ms: round(percentile(ttftLag, 100)),
    after_round1_lag_p50_ms: round(percentile(laterLag, 50)),
    after_round1_lag_p99_ms: round(percentile(laterLag, 99)),
    last_token_lag_p99_ms: round(percentile(lastLag, 99)),
    itl_p50_ms: step.latency_ms.itl?.p50 ?? null,
    itl_p99_ms: step.latency_ms.itl?.p99 ?? null,
    client_cpu_us_per_event: step.client.cpu_us_per_event,
    loop_delay_p99_ms: step.client.loop_delay_p99_ms,
    client_bound: step.client.client_bound,
    ...burst(records, level.parallel),
  };
}
