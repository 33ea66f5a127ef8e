import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordLine, runJson, writeRunFolder } from './fixtures.test-util.js';
import { maxInFlight } from './rebuild.js';
import { readRunFolder } from './run-folder.js';

const root = mkdtempSync(join(tmpdir(), 'evalperf-rebuild-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const folder = (files: Record<string, unknown>) => writeRunFolder(join(root, `r${n++}`), files);

// Two users, two rounds of 1 s (the hand-made step of metrics/summary.test.ts): window 0..2000 ms.
const twoRounds = [
  recordLine({ index: 0, sent_at: 0, first_token_at: 50, end_at: 1000 }),
  recordLine({ index: 1, sent_at: 0, first_token_at: 150, end_at: 1000 }),
  recordLine({ index: 2, scheduled_at: 1000, sent_at: 1000, first_token_at: 1050, last_token_at: 1950, end_at: 2000 }),
  recordLine({ index: 3, scheduled_at: 1000, sent_at: 1000, first_token_at: 1050, last_token_at: 1950, end_at: 2000, status: 500, error_class: 'http_5xx', error: 'boom' }),
];

describe('rebuilding summary.json from requests.jsonl', () => {
  it.each([
    {
      name: 'two rounds of two users, in order',
      lines: twoRounds,
      want: { window_s: 2, requests: { total: 4, succeeded: 3, failed: 1, by_class: { http_5xx: 1 } }, throughput: { requests_per_s: 1.5, output_tokens_per_s: 15, total_tokens_per_s: 165 }, concurrency: { mean: 2, max: 2 }, ttftCount: 3 },
    },
    {
      name: 'the same lines in another order (workers write batches as they come)',
      lines: [twoRounds[3], twoRounds[0], twoRounds[2], twoRounds[1]],
      want: { window_s: 2, requests: { total: 4, succeeded: 3, failed: 1, by_class: { http_5xx: 1 } }, throughput: { requests_per_s: 1.5, output_tokens_per_s: 15, total_tokens_per_s: 165 }, concurrency: { mean: 2, max: 2 }, ttftCount: 3 },
    },
    {
      name: 'a request that never reached a socket counts, but not in flight nor in the window',
      lines: [recordLine({ index: 0, sent_at: 100, first_token_at: 150, last_token_at: 550, end_at: 600 }), recordLine({ index: 1, sent_at: null, headers_at: null, first_token_at: null, last_token_at: null, end_at: 5, status: 0, error_class: 'connect', error: 'ECONNREFUSED', output_tokens: 0 })],
      want: { window_s: 0.5, requests: { total: 2, succeeded: 1, failed: 1, by_class: { connect: 1 } }, throughput: { requests_per_s: 2, output_tokens_per_s: 20, total_tokens_per_s: 220 }, concurrency: { mean: 1, max: 1 }, ttftCount: 1 },
    },
    {
      name: 'overlapping requests: the max in flight comes from the sweep of send and end times',
      lines: [0, 100, 200, 300].map((t, i) => recordLine({ index: i, sent_at: t, first_token_at: t + 50, last_token_at: t + 900, end_at: t + 1000 })),
      want: { window_s: 1.3, requests: { total: 4, succeeded: 4, failed: 0, by_class: {} }, throughput: { requests_per_s: 3.077, output_tokens_per_s: 30.769, total_tokens_per_s: 338.462 }, concurrency: { mean: 3.08, max: 4 }, ttftCount: 4 },
    },
  ])('$name', async ({ lines, want }) => {
    const d = await readRunFolder(folder({ 'run.json': runJson([2]), 'requests.jsonl': lines }), () => {});
    expect(d.rebuilt).toBe(true);
    expect(d.summary).toMatchObject({ schema: 'evalperf.summary/1', rebuilt_from: 'requests.jsonl', target: { model: 'llama' } });
    const s = d.summary.steps[0]!;
    expect(s.window_s).toBe(want.window_s);
    expect(s.requests).toEqual(want.requests);
    expect(s.throughput).toMatchObject(want.throughput);
    expect(s.concurrency).toEqual(want.concurrency);
    expect(s.latency_ms.ttft!.count).toBe(want.ttftCount);
    // Not in the records: null, never a made-up zero.
    expect(s.latency_ms.itl).toBeNull();
    expect(s.client).toMatchObject({ workers: 1, loop_delay_p99_ms: null, utilization_max: null, client_bound: null });
    expect(d.histograms![0]!.ttft!.totalCount).toBe(want.ttftCount);
  });

  it('TTFT and TPOT come out as a live run measures them', async () => {
    const d = await readRunFolder(folder({ 'run.json': runJson([2]), 'requests.jsonl': twoRounds }), () => {});
    const L = d.summary.steps[0]!.latency_ms;
    expect(Math.abs(L.ttft!.p50 - 50)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(L.ttft!.max - 150)).toBeLessThanOrEqual(0.15);
    expect(L.tpot!.mean).toBeCloseTo((100 + 800 / 9 + 100) / 3, 1);
    expect(L.e2e!.count).toBe(3);
  });

  it('keeps steps apart, takes their load from run.json, and judges an open-loop SLO from the schedule', async () => {
    const run = runJson([], {
      load: [
        { mode: 'open', parallel: 4, rate: 2, arrival: { kind: 'gamma', burstiness: 0.5 }, number: 2, durationMs: null },
        { mode: 'open', parallel: 4, rate: 8, arrival: { kind: 'poisson' }, number: 1, durationMs: null },
      ],
      slo: { ttft: 100 },
    });
    const lines = [
      recordLine({ step: 0, index: 0, scheduled_at: 0, sent_at: 0, first_token_at: 50 }),
      recordLine({ step: 1, index: 1, scheduled_at: 3000, sent_at: 3000, first_token_at: 3050, last_token_at: 3500, end_at: 3600 }),
      // Waited 200 ms for a slot: a 50 ms TTFT from the send, 250 ms from the schedule: not good.
      recordLine({ step: 0, index: 2, scheduled_at: 0, sent_at: 200, first_token_at: 250, last_token_at: 1100, end_at: 1200 }),
    ];
    const d = await readRunFolder(folder({ 'run.json': run, 'requests.jsonl': lines }), () => {});
    const [a, b] = d.summary.steps;
    expect(a!.load).toEqual({ mode: 'open', parallel: 4, rate: 2, arrival: 'gamma:0.5' });
    expect(b!.load).toEqual({ mode: 'open', parallel: 4, rate: 8, arrival: 'poisson' });
    expect(a!.requests.total).toBe(2);
    expect(b!.requests.total).toBe(1);
    expect(a!.slo).toMatchObject({ ttft_ms: 100, good: 1, attainment: 0.5 });
    expect(a!.latency_ms.ttft_from_schedule!.count).toBe(2);
    expect(d.series).toHaveLength(2);
    expect(d.series[1]!.source).toBe('requests');
  });

  it('skips a last line cut short by a crash, with a warning', async () => {
    const text = twoRounds.map((l) => JSON.stringify(l)).join('\n') + '\n{"step":0,"index":4,"sent_at":20';
    const warnings: string[] = [];
    const d = await readRunFolder(folder({ 'run.json': runJson([2]), 'requests.jsonl': text }), (w) => warnings.push(w));
    expect(d.summary.steps[0]!.requests.total).toBe(4);
    expect(warnings).toEqual(['requests.jsonl line 5 is cut short (the run stopped mid-write): skipped']);
  });

  it.each([
    ['a line that is not JSON', `${JSON.stringify(twoRounds[0])}\nnot json\n${JSON.stringify(twoRounds[1])}\n`, /requests\.jsonl line 2 is not valid JSON .*fix or delete that line/],
    ['a cut line that is not the last', `${JSON.stringify(twoRounds[0])}\n{"step":0,"ind\n${JSON.stringify(twoRounds[1])}\n`, /requests\.jsonl line 2 is not valid JSON/],
    ['a line without end_at', `${JSON.stringify(twoRounds[0])}\n${JSON.stringify({ ...twoRounds[1], end_at: undefined })}\n`, /requests\.jsonl line 2: "end_at" is missing or not a number/],
    ['a step that run.json does not plan', `${JSON.stringify({ ...twoRounds[0], step: 3 })}\n`, /line 1: step 3, but run\.json plans 1 step/],
  ])('stops at %s, naming the line', async (_name, text, message) => {
    await expect(readRunFolder(folder({ 'run.json': runJson([2]), 'requests.jsonl': text }), () => {})).rejects.toThrow(message);
  });

  it.each([
    [[0, 0], [1, 1], 2],
    [[0, 100, 200], [1000, 1000, 1000], 3],
    // An end at the very moment of the next send frees its slot first (a closed loop's turnover).
    [[0, 1000], [1000, 2000], 1],
    [[], [], 0],
  ])('max in flight of sends %j and ends %j is %i', (sends, ends, want) => {
    expect(maxInFlight(Float64Array.from(sends), Float64Array.from(ends))).toBe(want);
  });
});
