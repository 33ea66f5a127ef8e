import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepSummary } from '../metrics/summary.js';
import { readJson, readJsonl, runCli, runDir, startServe, tempDir } from './e2e.test-util.js';

/**
 * The built CLI against the simulator on 127.0.0.1, with timing the simulator was set to, so
 * the reported figures can be checked against known truth.
 */
type Summary = { schema: string; target: { url: string; model: string; api: string }; steps: StepSummary[] };
type Line = { index: number; worker: number; output_tokens: number; input_tokens: number; token_source: string; scheduled_at: number; first_token_at: number | null; error_class: string | null; status: number };

const within = (actual: number, expected: number, rel: number, absMs: number) => Math.abs(actual - expected) <= expected * rel + absMs;

describe('evalperf run against a simulator with known timing', () => {
  // TTFT at parallel 1 = itl + prefill * prompt tokens = 20 + 0.2 * 100 = 40 ms; TPOT = 20 ms.
  let sim: Awaited<ReturnType<typeof startServe>>;
  const out = tempDir('e2e');
  beforeAll(async () => {
    sim = await startServe(['--itl-ms', '20', '--itl-ms-per-seq', '0', '--prefill-ms-per-token', '0.2']);
  });
  afterAll(async () => {
    await sim?.close();
    out.remove();
  });

  it('reports TTFT and TPOT within 10% of the simulator, exact --number, usage token counts', async () => {
    const dir = join(out.path, 'p1');
    const r = await runCli(['run', '--url', sim.url, '--parallel', '1', '--number', '8', '--max-tokens', '16', '--input-tokens', '100', '--json', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as Summary;
    expect(summary.schema).toBe('evalperf.summary/1');
    expect(summary.target).toEqual({ url: sim.url, model: 'sim-llm', api: 'chat' });
    const s = summary.steps[0]!;
    expect(s.requests).toEqual({ total: 8, succeeded: 8, failed: 0, by_class: {} });
    expect(s.tokens).toEqual({ input_total: 800, output_total: 128, output_source: 'usage' });
    expect(s.prompt_tokens).toMatchObject({ counted_by: 'words', count: 8, mean: 100, min: 100, max: 100 });
    const ttft = s.latency_ms.ttft!.mean;
    const tpot = s.latency_ms.tpot!.mean;
    // Within 10% and a few ms: loopback HTTP and a loaded 2-core machine add a little.
    expect(within(ttft, 40, 0.1, 5), `TTFT mean ${ttft} ms, simulator set to 40 ms`).toBe(true);
    expect(within(tpot, 20, 0.1, 2), `TPOT mean ${tpot} ms, simulator set to 20 ms`).toBe(true);
    expect(s.latency_ms.itl!.count).toBe(8 * 15);
    const lines = readJsonl<Line>(join(runDir(dir), 'requests.jsonl'));
    expect(lines).toHaveLength(8);
    expect(lines.every((l) => l.output_tokens === 16 && l.input_tokens === 100 && l.token_source === 'usage' && l.status === 200)).toBe(true);
  });

  it('splits a closed loop over two workers: exact count, every index once, TPOT grows with the batch', async () => {
    const dir = join(out.path, 'p4');
    // A second simulator whose decode step grows 2.5 ms per running sequence: 4 users -> ~20 ms.
    const batchSim = await startServe(['--itl-ms', '10', '--itl-ms-per-seq', '2.5', '--prefill-ms-per-token', '0']);
    try {
      const r = await runCli(['run', '--url', batchSim.url, '--parallel', '4', '--number', '13', '--max-tokens', '20', '--workers', '2', '--json', '--out', dir]);
      expect(r.code, r.stderr).toBe(0);
      const s = (JSON.parse(r.stdout) as Summary).steps[0]!;
      expect(s.requests.total).toBe(13);
      expect(s.client.workers).toBe(2);
      expect(within(s.latency_ms.tpot!.mean, 20, 0.1, 1), `TPOT mean ${s.latency_ms.tpot!.mean} ms, expected ~20 ms at 4 sequences`).toBe(true);
      expect(s.concurrency.max).toBeLessThanOrEqual(4);
      const lines = readJsonl<Line>(join(runDir(dir), 'requests.jsonl'));
      expect(lines.map((l) => l.index).sort((a, b) => a - b)).toEqual([...Array(13).keys()]);
      expect(new Set(lines.map((l) => l.worker))).toEqual(new Set([0, 1]));
      // Workers start the step at its start time, never a timer-slip early.
      expect(Math.min(...lines.map((l) => l.scheduled_at))).toBeGreaterThanOrEqual(0);
    } finally {
      await batchSim.close();
    }
  });

  it('runs an open loop on absolute arrival times and reports the from-schedule figures', async () => {
    const dir = join(out.path, 'open');
    const r = await runCli(['run', '--url', sim.url, '--rate', '40', '--arrival', 'constant', '--number', '30', '--max-tokens', '4', '--input-tokens', '10', '--json', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    const s = (JSON.parse(r.stdout) as Summary).steps[0]!;
    expect(s.load).toEqual({ mode: 'open', parallel: null, rate: 40, arrival: 'constant' });
    expect(s.requests.succeeded).toBe(30);
    expect(s.latency_ms.ttft_from_schedule!.count).toBe(30);
    expect(s.latency_ms.e2e_from_schedule!.count).toBe(30);
    const sched = readJsonl<Line>(join(runDir(dir), 'requests.jsonl'))
      .map((l) => l.scheduled_at)
      .sort((a, b) => a - b);
    // Constant arrivals at 40/s: exactly 25 ms apart, from t = 0.
    sched.forEach((t, i) => expect(t).toBeCloseTo(i * 25, 2));
  });

  it('records server-reported timings and what the client saw beyond them', async () => {
    const timed = await startServe(['--itl-ms', '20', '--itl-ms-per-seq', '0', '--prefill-ms-per-token', '0.2', '--timings']);
    try {
      const r = await runCli(['run', '--url', timed.url, '--parallel', '1', '--number', '4', '--max-tokens', '5', '--input-tokens', '100', '--json', '--out', join(out.path, 'timings')]);
      expect(r.code, r.stderr).toBe(0);
      const L = (JSON.parse(r.stdout) as Summary).steps[0]!.latency_ms;
      expect(L.server_prompt!.count).toBe(4);
      // The simulator's prefill is 40 ms; the client sees loopback, HTTP and the simulator's
      // admission on top: ~3 ms here, more on a loaded machine.
      expect(within(L.server_prompt!.mean, 40, 0.1, 5)).toBe(true);
      expect(L.ttft_minus_server!.mean).toBeGreaterThanOrEqual(0);
      expect(L.ttft_minus_server!.p99).toBeLessThan(50);
      expect(L.e2e_minus_server!.count).toBe(4);
    } finally {
      await timed.close();
    }
  });

  it('measures a non-streamed run: E2E only, no TTFT', async () => {
    const r = await runCli(['run', '--url', sim.url, '--parallel', '2', '--number', '4', '--max-tokens', '5', '--no-stream', '--json', '--out', join(out.path, 'nostream')]);
    expect(r.code, r.stderr).toBe(0);
    const s = (JSON.parse(r.stdout) as Summary).steps[0]!;
    expect(s.requests.succeeded).toBe(4);
    expect(s.latency_ms.ttft).toBeNull();
    expect(s.latency_ms.e2e!.count).toBe(4);
    expect(s.tokens.output_total).toBe(20);
  });

  it('stops a step at --duration and lets in-flight requests finish', async () => {
    const r = await runCli(['run', '--url', sim.url, '--parallel', '2', '--duration', '1s', '--max-tokens', '10', '--json', '--out', join(out.path, 'duration')]);
    expect(r.code, r.stderr).toBe(0);
    const s = (JSON.parse(r.stdout) as Summary).steps[0]!;
    expect(s.requests.failed).toBe(0);
    // Each request takes ~40 + 9 * 20 = 220 ms: about 4-5 rounds of 2 in 1 s, plus the drain.
    expect(s.requests.total).toBeGreaterThanOrEqual(6);
    expect(s.requests.total).toBeLessThanOrEqual(14);
    expect(s.window_s).toBeLessThan(1.6);
  });

  it('piped output has progress lines and no escape sequences, even outside CI', async () => {
    const r = await runCli(['run', '--url', sim.url, '--parallel', '2', '--number', '30', '--max-tokens', '8', '--out', join(out.path, 'piped')], { env: { CI: '' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/start: 2 parallel, 30 requests/);
    expect(r.stderr).toMatch(/\[\s+\d+\.\ds\] done \d+\/30/);
    expect(r.stdout).toMatch(/result: closed loop, 2 parallel/);
    expect(r.stdout + r.stderr).not.toContain('\u001b');
  });

  it('exits 1 when every request failed, with the failures recorded by class', async () => {
    const dir = join(out.path, 'timeouts');
    const r = await runCli(['run', '--url', sim.url, '--parallel', '2', '--number', '4', '--timeout', '5ms', '--no-tui', '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/every request failed \(timeout\)/);
    const lines = readJsonl<Line>(join(runDir(dir), 'requests.jsonl'));
    expect(lines.map((l) => l.error_class)).toEqual(['timeout', 'timeout', 'timeout', 'timeout']);
    const s = readJson<Summary>(join(runDir(dir), 'summary.json')).steps[0]!;
    expect(s.requests.by_class).toEqual({ timeout: 4 });
    expect(s.latency_ms.e2e).toBeNull();
  });
});

describe('evalperf run with no --url', () => {
  it('starts the built-in simulator, writes every output file and never writes the API key', async () => {
    const out = tempDir('embedded');
    const secret = 'sk-evalperf-test-secret-4242';
    try {
      const r = await runCli(['run', '--parallel', '2', '--number', '6', '--max-tokens', '8', '--no-tui', '--out', out.path], { env: { OPENAI_API_KEY: secret } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/started the built-in simulator at http:\/\/127\.0\.0\.1:\d+\/v1/);
      expect(r.stdout).toMatch(/result: closed loop, 2 parallel/);
      expect(r.stdout).toMatch(/TTFT/);
      const dir = runDir(out.path);
      expect(readdirSync(dir).sort()).toEqual(['histograms.json', 'intervals.jsonl', 'report.html', 'requests.jsonl', 'run.json', 'summary.json']);
      expect(readJsonl(join(dir, 'requests.jsonl'))).toHaveLength(6);
      expect(readJson<{ target: { simulated: boolean }; auth: string }>(join(dir, 'run.json'))).toMatchObject({ target: { simulated: true }, auth: 'api key given (not recorded)' });
      for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f), 'utf8')).not.toContain(secret);
      expect(r.stdout + r.stderr).not.toContain(secret);
    } finally {
      out.remove();
    }
  });
});

describe('bad input and unreachable targets', () => {
  // Each case is its own short process: run them side by side (they only read flags and exit).
  it.concurrent.for<[string[], RegExp]>([
    [['run', '--parallel', '0'], /--parallel 0: must be a whole number >= 1/],
    [['run', '--rate', '-2'], /--rate -2: must be a number > 0/],
    [['run', '--duration', 'soon'], /--duration "soon": expected a duration/],
    [['run', '--arrival', 'weibull', '--rate', '1'], /--arrival weibull/],
    [['run', '--url', 'localhost:8000'], /only http/],
    [['run', '--extra-body', '{nope'], /--extra-body is not valid JSON/],
    [['run', '--parallel', '1', '2', '--number', '1', '2', '3'], /--number has 3 values for 2 steps/],
    [['run', '--bogus-flag'], /Unknown argument/],
    [['run', '--workers', '0'], /--workers 0: must be a whole number from 1 to 64/],
    [['run', '--max-tokens', '0'], /--max-tokens 0: must be a whole number >= 1/],
    [['run', '--input-tokens', '2.5'], /--input-tokens 2.5: must be a whole number >= 1/],
    [['run', '--temperature', '-1'], /--temperature -1: must be a number >= 0/],
    [['run', '--timeout', '600h'], /--timeout 600h: at most 24 days/],
    [['run', '--slo', 'ttft>5ms'], /--slo "ttft>5ms": expected metric<=duration/],
    [['run', '--header', 'no-colon-here'], /--header "no-colon-here"…: expected name:value/],
    [['run', '--api', 'audio'], /Invalid values:[\s\S]*api/],
    [['run', '--api', 'embeddings', '--max-tokens', '5'], /--max-tokens: --api embeddings generates no tokens; drop --max-tokens/],
    [['run', '--api', 'rerank', '--turns', '2'], /--turns: --api rerank generates no tokens/],
    [['run', '--api', 'rerank', '--dataset', 'lines:datasets/sample-prompts.txt'], /--api rerank builds its queries and documents from random prompts: drop --dataset/],
    [['run', '--api', 'rerank', '--documents', '0'], /--documents 0: must be a whole number from 1 to 1000/],
    [['run', '--images', '0'], /--images 0: must be a whole number from 1 to 64/],
    [['run', '--image-size', '64x64'], /--image-size is the size of the generated images: add --images N/],
    [['run', '--images', '1', '--image-size', '64'], /--image-size 64: expected WIDTHxHEIGHT in pixels/],
    [['run', '--images', '1', '--api', 'completions'], /--images: images go in chat messages; drop --api completions/],
    [['run', '--api', 'embeddings', '--slo', 'ttft<=1s'], /--slo: --api embeddings generates no tokens, so TTFT and TPOT never happen; bound the latency with e2e/],
    [['run', '--documents', '3'], /--documents is the number of documents per rerank request: add --api rerank/],
    [['run', '--number', '0'], /--number 0: must be a whole number >= 1/],
    [['run', '--turns', '3', '--rate', '2'], /--turns: conversations are played by closed-loop users, turn after turn; use --parallel instead of --rate/],
    [['run', '--turns', 'all'], /--turns all plays every user turn of a dataset's conversations/],
    [['run', '--think-time', '1s'], /--think-time is the pause between the turns of a conversation: add --turns/],
    [['run', '--turns', '2', '--api', 'completions'], /--turns: multi-turn conversations need the chat API/],
    [['run', '--turns', '0'], /--turns 0: must be a whole number >= 1/],
    [['run', '--turns', '2', '--dataset', 'lines:datasets/sample-prompts.txt'], /--turns: a lines: file has one prompt per line, no conversations/],
    [['run', '--turns', '2:4', '--dataset', 'sharegpt:datasets/sample-conversations.json'], /--turns 2:4: a dataset's conversations have their own turns/],
    [['run', '--turns', '2', '--think-time', 'soon'], /--think-time "soon": expected a duration/],
    [['run', '--stop-on-slo', '0.5'], /--stop-on-slo needs objectives to measure: add --slo/],
    [['run', '--slo', 'e2e<=1s', '--stop-on-slo', '2'], /--stop-on-slo 2: a fraction of requests within the SLO, above 0 and at most 1/],
    [['run', '--warmup', '-1'], /--warmup -1: must be a whole number >= 0/],
    [['run', '--seed', '1.5'], /--seed 1.5: must be a whole number/],
    [['run', '--pause', 'later'], /--pause "later": expected a duration/],
    [['run', '--rate', '5', '--parallel', '2', '4'], /--parallel with --rate is the in-flight cap and takes one value/],
    [['run', '--url', 'http://u:p@127.0.0.1:1/v1'], /--url must not carry credentials/],
    [['run', '--extra-body', '[1, 2]'], /--extra-body must be a JSON object/],
    [['run', '--url', 'http://127.0.0.1:1/v1', '--sim-faults', '500:0.1'], /--sim-faults is for the built-in simulator/],
    [['run', '--sim-faults', 'explode:0.1'], /--faults "explode:0.1": unknown fault/],
    [['serve', '--jitter', '2'], /--jitter 2: must be a number in 0..1/],
    [['serve', '--faults', '500:2'], /--faults "500:2": expected kind:probability/],
    [['frobnicate'], /Unknown argument: frobnicate|Did you mean/],
    [["serve", "--max-num-seqs", "0"], /--max-num-seqs 0: must be an integer >= 1/],
    [["serve", "--port", "70000"], /--port 70000: must be an integer in 0..65535/],
  ])('%j exits 2 with a one-line reason', async ([args, message], { expect }) => {
    const r = await runCli(args, { timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split('\n')[0]).toMatch(/^evalperf: /);
  });

  it('an unreachable --url fails fast with exit 2 and no run folder', async () => {
    const out = tempDir('down');
    try {
      const r = await runCli(['run', '--url', 'http://127.0.0.1:9/v1', '--out', out.path], { timeoutMs: 15_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9\/v1: connection refused/);
      expect(r.ms).toBeLessThan(5000);
      expect(existsSync(out.path) && readdirSync(out.path).length).toBe(0);
    } finally {
      out.remove();
    }
  });
});
