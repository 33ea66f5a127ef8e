import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBenchmark, localSource, type EvalItem } from '../eval/index.js';
import { readJsonl, runCli, runDir, tempDir } from './e2e.test-util.js';

/**
 * evalperf eval end to end: a server on 127.0.0.1 answers real MMLU questions with scripted
 * replies (right, wrong or unparsable, by item), so the accuracy evalperf reports is known.
 */
const DATA = fileURLToPath(new URL('../../../shared/datasets', import.meta.url));
const hasData = existsSync(join(DATA, 'mmlu'));
if (!hasData) console.warn(`skipping evalperf eval end-to-end tests: ${DATA} is absent`);

const LETTERS = ['A', 'B', 'C', 'D'];
type Kind = 'right' | 'wrong' | 'unparsable';
const kindOf = (i: number): Kind => (['right', 'wrong', 'unparsable'] as const)[i % 3]!;

describe.skipIf(!hasData)('evalperf eval', () => {
  const out = tempDir('eval');
  let server: Server;
  let url = '';
  let items: EvalItem[] = [];
  let asked = 0;
  const args = (dir: string) => ['eval', '--benchmark', 'mmlu', '--subset', 'abstract_algebra,anatomy', '--limit', '12', '--data-dir', DATA, '--url', url, '--parallel', '4', '--out', dir];

  beforeAll(async () => {
    items = await getBenchmark('mmlu').load(localSource(DATA), { shots: 0, seed: 1, subsets: ['abstract_algebra', 'anatomy'], limit: 12 });
    server = createServer((req, res) => {
      if (req.method === 'GET') return res.end('{"data":[{"id":"m"}]}');
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const b = JSON.parse(body) as { stream?: boolean; messages: { content: string }[] };
        const prompt = b.messages.map((m) => m.content).join('\n');
        const i = items.findIndex((it) => prompt.includes(it.question));
        let reply = 'Hi';
        if (i >= 0) {
          asked++;
          const gold = items[i]!.gold;
          const wrong = LETTERS.find((l) => l !== gold)!;
          reply = { right: `Let me think.\n**Answer: ${gold}**`, wrong: `Step by step...\nAnswer: (${wrong})`, unparsable: 'I am not sure about this one.' }[kindOf(i)];
        }
        if (!b.stream) {
          res.setHeader('content-type', 'application/json');
          return res.end(JSON.stringify({ choices: [{ message: { content: reply }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } }));
        }
        res.setHeader('content-type', 'text/event-stream');
        for (const part of reply.match(/.{1,6}/gs) ?? []) res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: part } }] })}\n\n`);
        res.end('data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => {
    server?.close();
    out.remove();
  });

  it('reports exactly the accuracy the scripted replies give, overall and per subject', async () => {
    const dir = join(out.path, 'run');
    const r = await runCli([...args(dir), '--json'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const expected = (subset?: string) => {
      const mine = items.map((it, i) => ({ it, kind: kindOf(i) })).filter((x) => !subset || x.it.subset === subset);
      return { n: mine.length, correct: mine.filter((x) => x.kind === 'right').length, unparsed: mine.filter((x) => x.kind === 'unparsable').length };
    };
    const mmlu = (JSON.parse(r.stdout) as { schema: string; benchmarks: { mmlu: { score: number; n: number; correct: number; unparsed: number; mode: string; template: string; extraction: string; subsets: Record<string, { score: number; n: number; correct: number }> } } });
    expect(mmlu.schema).toBe('evalperf.eval/1');
    const e = mmlu.benchmarks.mmlu;
    expect({ n: e.n, correct: e.correct, unparsed: e.unparsed }).toEqual(expected());
    expect(e.score).toBeCloseTo(expected().correct / expected().n, 10);
    expect(e.mode).toBe('generative');
    expect(e.template).toBeTruthy();
    for (const subset of ['abstract_algebra', 'anatomy']) {
      const want = expected(subset);
      expect(e.subsets[subset]).toMatchObject({ n: want.n, correct: want.correct });
    }
    const run = runDir(dir);
    const lines = readJsonl<{ id: string; score: number; extracted: string | null; gold: string; reply: string }>(join(run, 'items.jsonl'));
    expect(lines).toHaveLength(12);
    expect(lines.every((l) => typeof l.reply === 'string' && l.gold.length === 1)).toBe(true);
    // The same engine measured it: the latency summary and per-request records are there too.
    expect(readJsonl(join(run, 'requests.jsonl'))).toHaveLength(12);
    expect(JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')).steps[0].latency_ms.ttft.count).toBe(12);
    const html = readFileSync(join(run, 'report.html'), 'utf8');
    expect(html).toMatch(/<section id="accuracy">[\s\S]*<b>mmlu<\/b>/);
  });

  it('--resume asks only what was not answered and gives the same result', async () => {
    const dir = join(out.path, 'resume');
    const first = await runCli([...args(dir), '--json'], { timeoutMs: 60_000 });
    expect(first.code, first.stderr).toBe(0);
    const run = runDir(dir);
    const itemsFile = join(run, 'items.jsonl');
    const kept = readFileSync(itemsFile, 'utf8').split('\n').filter(Boolean).slice(0, 7);
    writeFileSync(itemsFile, kept.join('\n') + '\n{"step":0,"benchm'); // and a line cut by a crash
    // A crash leaves no summary, and may cut requests.jsonl mid-line too.
    const records = readFileSync(join(run, 'requests.jsonl'), 'utf8');
    writeFileSync(join(run, 'requests.jsonl'), records.slice(0, records.length - 40));
    for (const f of ['summary.json', 'histograms.json', 'report.html']) rmSync(join(run, f));
    asked = 0;
    const second = await runCli([...args(dir), '--json', '--resume', run], { timeoutMs: 60_000 });
    expect(second.code, second.stderr).toBe(0);
    expect(asked).toBe(5);
    expect(JSON.parse(second.stdout).benchmarks.mmlu).toMatchObject({ n: 12, correct: JSON.parse(first.stdout).benchmarks.mmlu.correct });
    // The folder's latency files are the resumed session's alone; the stopped one's are a run folder of their own.
    expect(second.stderr).not.toMatch(/not written/);
    expect(readJsonl(join(run, 'requests.jsonl'))).toHaveLength(5);
    expect(JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')).steps[0].requests.total).toBe(5);
    const earlier = join(run, 'session-1');
    expect(readdirSync(earlier).sort()).toEqual(['intervals.jsonl', 'requests.jsonl', 'run.json']);
    const rebuilt = await runCli(['report', earlier, '--json'], { timeoutMs: 30_000 });
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).toMatch(/requests\.jsonl line 12 is cut short/);
    expect(JSON.parse(rebuilt.stdout).steps[0].requests.total).toBe(11);
  });

  it.each([
    [['--mode', 'logprob'], /returned no top_logprobs for --mode logprob: use --mode generative/],
    [['--benchmark', 'nosuchbench'], /unknown benchmark "nosuchbench"/],
    [['--benchmark', 'gsm8k,mmlu', '--subset', 'anatomy'], /--subset names subsets of one benchmark/],
    [['--samples', '3'], /--samples above 1 asks the same question again: set --temperature > 0/],
  ])('%j exits 2 with a one-line reason', async (extra, message) => {
    const r = await runCli([...args(join(out.path, 'bad')), ...extra], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('HumanEval runs model code only with --allow-code-execution', async () => {
    const r = await runCli(['eval', '--benchmark', 'humaneval', '--data-dir', DATA, '--url', url, '--out', join(out.path, 'he')], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/humaneval runs the model's code: add --allow-code-execution/);
  });
});
