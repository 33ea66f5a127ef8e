import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepSummary } from '../metrics/summary.js';
import { readJson, readJsonl, runCli, runDir, startServe, tempDir } from './e2e.test-util.js';

/** Workload features through the built CLI against one simulator on 127.0.0.1. */
type Summary = { steps: StepSummary[]; slo_stop: { step: number; attainment: number; floor: number; skipped: number } | null };
type Line = { index: number; conversation?: number; turn?: number; input_tokens: number; scheduled_at: number; end_at: number; error_class: string | null };

const CONVERSATIONS = fileURLToPath(new URL('../../datasets/sample-conversations.json', import.meta.url));

/** Requests grouped by conversation, each in turn order. */
function byConversation(lines: Line[]): Line[][] {
  const m = new Map<number, Line[]>();
  for (const l of lines) m.set(l.conversation!, [...(m.get(l.conversation!) ?? []), l]);
  return [...m.values()].map((ls) => ls.sort((a, b) => a.turn! - b.turn!));
}

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
    expect(r.stderr).toMatch(/stopped the sweep after step 1 of 3: SLO attainment 0 < 0\.5 \(--stop-on-slo\); 2 higher steps not run/);
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

  it.each([
    ['embeddings', [], 12 * 20],
    // A 16-token query and 3 documents of 20; the simulator counts query + document per pair.
    ['rerank', ['--documents', '3'], 12 * 3 * (16 + 20)],
  ])('--api %s: input tokens and end-to-end latency, nothing generated', async (api, extra, inputTotal) => {
    const dir = join(out.path, api);
    const r = await runCli(['run', '--url', sim.url, '--api', api, ...extra, '--parallel', '3', '--number', '12', '--input-tokens', '20', '--json', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    const s = (JSON.parse(r.stdout) as Summary).steps[0]!;
    expect(s.requests).toEqual({ total: 12, succeeded: 12, failed: 0, by_class: {} });
    expect(s.tokens).toEqual({ input_total: inputTotal, output_total: 0, output_source: 'usage' });
    expect(s.latency_ms.ttft).toBeNull();
    expect(s.latency_ms.e2e!.count).toBe(12);
    const run = readJson<{ request: { api: string; stream: boolean; maxTokens: number | null } }>(join(runDir(dir), 'run.json'));
    expect(run.request).toMatchObject({ api, stream: false, maxTokens: null });
  });

  it('--turns: each user plays conversations with the replies as history; later turns carry it and report their own TTFT', async () => {
    const dir = join(out.path, 'turns');
    const prefill = await startServe(['--itl-ms', '2', '--itl-ms-per-seq', '0', '--prefill-ms-per-token', '0.4']);
    try {
      const r = await runCli(['run', '--url', prefill.url, '--parallel', '2', '--number', '12', '--turns', '3', '--input-tokens', '100', '--max-tokens', '10', '--ignore-eos', '--json', '--out', dir]);
      expect(r.code, r.stderr).toBe(0);
      const s = (JSON.parse(r.stdout) as Summary).steps[0]!;
      // The simulator honours ignore_eos: no reply stops short, and no warning.
      expect(s.replies_vs_max_tokens).toEqual({ counted: 12, shorter: 0 });
      expect(r.stderr).not.toMatch(/ignore-eos/);
      expect(s.turns).toEqual({ conversations: 4, turns_mean: 3, input_tokens_first_turn_mean: 100, input_tokens_later_turns_mean: 265 });
      expect(s.prompt_tokens).toMatchObject({ of: 'user message', mean: 100 });
      const lines = readJsonl<Line>(join(runDir(dir), 'requests.jsonl'));
      const convs = byConversation(lines);
      expect(convs).toHaveLength(4);
      for (const c of convs) {
        expect(c.map((l) => l.turn)).toEqual([1, 2, 3]);
        // The simulator counts words: turn t sends t user messages of 100 and t - 1 replies of 10.
        expect(c.map((l) => l.input_tokens)).toEqual([100, 210, 320]);
        // A turn goes only after the previous reply has ended.
        expect(c[1]!.scheduled_at).toBeGreaterThanOrEqual(c[0]!.end_at);
      }
      // Prefill grows with the history (0.4 ms a token, no prefix cache in the simulator).
      const L = s.latency_ms;
      expect(L.ttft_later_turns!.p50).toBeGreaterThan(L.ttft_first_turn!.p50 + 20);
      expect(L.ttft_first_turn!.count + L.ttft_later_turns!.count).toBe(12);
    } finally {
      await prefill.close();
    }
  });

  it('--turns all plays a ShareGPT file\'s conversations turn by turn, with think time between turns', async () => {
    const dir = join(out.path, 'sharegpt');
    const r = await runCli(['run', '--url', sim.url, '--parallel', '1', '--number', '12', '--dataset', `sharegpt:${CONVERSATIONS}`, '--turns', 'all', '--think-time', '40ms', '--max-tokens', '4', '--json', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    const lines = readJsonl<Line>(join(runDir(dir), 'requests.jsonl')).sort((a, b) => a.index - b.index);
    // One user: the conversations in file order (3, 2, 4, 2 user turns), then the first again.
    expect(lines.map((l) => `${l.conversation}.${l.turn}`)).toEqual(['0.1', '0.2', '0.3', '1.1', '1.2', '2.1', '2.2', '2.3', '2.4', '3.1', '3.2', '4.1']);
    for (let i = 1; i < lines.length; i++) {
      const wait = lines[i]!.scheduled_at - lines[i - 1]!.end_at;
      if (lines[i]!.turn! > 1) expect(wait).toBeGreaterThanOrEqual(39);
      else expect(wait).toBeLessThan(39);
    }
    expect((JSON.parse(r.stdout) as Summary).steps[0]!.turns).toMatchObject({ conversations: 5, turns_mean: 2.4 });
  });
});
