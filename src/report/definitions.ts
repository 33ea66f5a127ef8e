/**
 * The definitions section of every report, after README.md "Metrics in brief": what each
 * figure is, and what other tools call it, because the same name means different things.
 */
export interface Definition {
  metric: string;
  formula: string;
  otherNames: string;
}

export const DEFINITIONS: readonly Definition[] = [
  {
    metric: 'TTFT',
    formula: 'first token − sent. The first token is the first event whose delta carries non-empty content, reasoning_content or reasoning; a role-only first chunk is not a token.',
    otherNames: 'Same name in vLLM, AIPerf, guidellm. Tools that time the role-only chunk report a lower TTFT.',
  },
  {
    metric: 'TPOT',
    formula: '(last token − first token) / (output tokens − 1), per request, for 2+ tokens.',
    otherNames: "vLLM's TPOT; AIPerf calls it ITL; guidellm's TPOT includes TTFT (e2e / output tokens).",
  },
  {
    metric: 'ITL',
    formula: 'Every gap between consecutive content events, pooled over all requests (one event may carry several tokens).',
    otherNames: "vLLM's ITL. Not AIPerf's ITL, which is our TPOT.",
  },
  { metric: 'E2E', formula: 'response complete − sent.', otherNames: 'E2E / request latency elsewhere.' },
  {
    metric: 'queue',
    formula:
      "sent − scheduled. Open loop: the wait for a free slot under --parallel. Closed loop: from a user's previous reply to the socket write.",
    otherNames: 'Hidden by tools that take time only at the send (coordinated omission).',
  },
  {
    metric: 'TTFT / E2E from schedule',
    formula: 'Measured from the scheduled arrival (open loop): what a user at that arrival rate sees, free of coordinated omission.',
    otherNames: '',
  },
  {
    metric: 'server prefill, TTFT − server, E2E − server',
    formula:
      "For servers that report their own timings (llama.cpp's final-chunk `timings`): the server's prefill time (prompt_ms), and the client's TTFT minus it and E2E minus prefill + generation (predicted_ms): network, queueing before the server starts the request, and the client. It tells a slow server from a slow network or client.",
    otherNames: 'No peer tool reports this split.',
  },
  {
    metric: 'throughput',
    formula: 'Successful requests, output tokens, input + output tokens per second of the window (first send to last completion of the step). The steady state drops ramp-up and drain.',
    otherNames: "vLLM's request / output / total token throughput.",
  },
  {
    metric: 'goodput',
    formula: 'Successful requests meeting every --slo bound per second. SLO attainment: those over all attempted (failures count as misses). Open loop: TTFT and E2E bounds are judged from the scheduled arrival.',
    otherNames: "vLLM's goodput.",
  },
  { metric: 'success rate', formula: 'succeeded / all requests of the step; failures are counted by class and never enter the latency figures.', otherNames: '' },
  { metric: 'concurrency', formula: 'Time-weighted mean of requests in flight, and its max.', otherNames: '' },
  {
    metric: 'percentiles',
    formula: 'From HDR histograms with 3 significant digits: a value is the top of its bucket, within 0.1%. Percentile plots put 1/(1−p) on a log axis, so the tail gets room.',
    otherNames: '',
  },
  {
    metric: 'client-bound',
    formula: 'A load worker’s event-loop delay p99 passed 10 ms or its utilisation 90%: the timestamps are late and the figures describe the client, not the server.',
    otherNames: '',
  },
];

/** How the report's per-second series are made; shown under the time charts. */
export const SERIES_NOTE =
  'Counts per second are exact sums of the 250 ms intervals. The intervals keep percentiles, not histograms, so a second’s TTFT p50 is the completion-weighted mean of its intervals’ p50s and its p99 the highest of their p99s (an upper bound).';
