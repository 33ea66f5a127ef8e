import { appendFileSync, cpSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, runCli, runDir, startServe, tempDir } from '../cli/e2e.test-util.js';
import type { SummaryDoc } from './saved-run.js';

/**
 * `evalperf report` and `evalperf compare` through the built CLI, on real runs against the
 * simulator (fast settings: a request takes ~10 ms).
 */
describe('evalperf report and compare on real runs', () => {
  let sim: Awaited<ReturnType<typeof startServe>>;
  const out = tempDir('report-e2e');
  let sweep = '';
  let single = '';
  let original: SummaryDoc;

  beforeAll(async () => {
    sim = await startServe(['--itl-ms', '1', '--itl-ms-per-seq', '0', '--prefill-ms-per-token', '0']);
    const [a, b] = await Promise.all([
      runCli(['run', '--url', sim.url, '--parallel', '2', '4', '--number', '24', '--max-tokens', '8', '--json', '--out', join(out.path, 'sweep')]),
      runCli(['run', '--url', sim.url, '--parallel', '4', '--number', '16', '--max-tokens', '8', '--json', '--out', join(out.path, 'single')]),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    sweep = runDir(join(out.path, 'sweep'));
    single = runDir(join(out.path, 'single'));
    original = JSON.parse(a.stdout) as SummaryDoc;
  }, 30_000);
  afterAll(async () => {
    await sim?.close();
    out.remove();
  });

  it('every run writes report.html beside its results', () => {
    const html = readFileSync(join(sweep, 'report.html'), 'utf8');
    expect(html).toContain('<section id="sweep"><h2>Sweep: 2 steps</h2>');
    expect(html).toContain('<dd>sim-llm</dd>');
    expect(statSync(join(sweep, 'report.html')).size).toBeLessThan(500_000);
  });

  it('rebuilds a killed run from requests.jsonl alone: same totals and throughput as the run', async () => {
    const dir = join(out.path, 'killed');
    cpSync(sweep, dir, { recursive: true });
    for (const f of ['summary.json', 'histograms.json', 'intervals.jsonl', 'report.html']) rmSync(join(dir, f));
    const r = await runCli(['report', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/summary\.json and histograms\.json rebuilt from requests\.jsonl/);
    const rebuilt = JSON.parse(r.stdout) as SummaryDoc;
    expect(rebuilt.rebuilt_from).toBe('requests.jsonl');
    // What was measured live or set after the engine is named, not guessed.
    expect(rebuilt.not_recovered).toEqual(['latency_ms.itl', 'client', 'ended_at', 'run_id', 'steps[].prompt_tokens']);
    expect(rebuilt.steps).toHaveLength(2);
    rebuilt.steps.forEach((s, i) => {
      const o = original.steps[i]!;
      expect(s.load).toEqual(o.load);
      expect(s.requests).toEqual(o.requests);
      expect(s.tokens).toEqual(o.tokens);
      // requests.jsonl keeps times to the microsecond: the window agrees to the millisecond.
      expect(Math.abs(s.window_s - o.window_s)).toBeLessThanOrEqual(0.001);
      for (const k of ['requests_per_s', 'output_tokens_per_s', 'total_tokens_per_s'] as const) expect(Math.abs(s.throughput[k] - o.throughput[k])).toBeLessThanOrEqual(o.throughput[k] * 1e-4);
      expect(s.latency_ms.ttft!.count).toBe(o.latency_ms.ttft!.count);
      // Times rounded to the microsecond can move a value into the next HDR bucket (0.1%).
      expect(Math.abs(s.latency_ms.ttft!.p50 - o.latency_ms.ttft!.p50)).toBeLessThanOrEqual(o.latency_ms.ttft!.p50 * 0.002 + 0.002);
      expect(s.latency_ms.itl).toBeNull();
    });
    expect(readJson<SummaryDoc>(join(dir, 'summary.json')).rebuilt_from).toBe('requests.jsonl');
    expect(existsSync(join(dir, 'histograms.json'))).toBe(true);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('ITL is not recoverable');
  });

  it('re-renders to other paths, writes a CSV row per step, prints the table', async () => {
    const html = join(out.path, 'elsewhere', 'r.html');
    const csv = join(out.path, 'elsewhere', 'r.csv');
    const r = await runCli(['report', sweep, '--html', html, '--csv', csv]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/step 1\/2: closed loop, 2 parallel/);
    expect(r.stdout).toContain(`report: ${html}`);
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const head = lines[0]!.split(',');
    const row = lines[2]!.split(',');
    expect(row[head.indexOf('load_parallel')]).toBe('4');
    expect(Number(row[head.indexOf('requests_total')])).toBe(24);
    expect(Number(row[head.indexOf('latency_ttft_p99')])).toBe(original.steps[1]!.latency_ms.ttft!.p99);
    expect(existsSync(html)).toBe(true);
  });

  it('compares runs matched by load level, in the terminal and as a page', async () => {
    const html = join(out.path, 'cmp.html');
    const r = await runCli(['compare', sweep, single, '--html', html]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`A = ${sweep}\nB = ${single}`);
    expect(r.stdout).toMatch(/closed loop, 2 parallel[\s\S]*\(not run at this level: B\)/);
    expect(r.stdout).toMatch(/closed loop, 4 parallel\n\s+metric\s+A\s+B\s+B vs A\s+better\n\s+requests\/s/);
    expect(readFileSync(html, 'utf8')).toContain('<h2>closed loop, 4 parallel</h2>');
    expect(r.stderr).not.toMatch(/different kinds of endpoint/);
  });

  it('warns when the runs drove different kinds of endpoint', async () => {
    const other = join(out.path, 'embeddings-like');
    cpSync(single, other, { recursive: true });
    const doc = JSON.parse(readFileSync(join(other, 'summary.json'), 'utf8')) as SummaryDoc;
    writeFileSync(join(other, 'summary.json'), JSON.stringify({ ...doc, target: { ...doc.target, api: 'embeddings' } }));
    const r = await runCli(['compare', single, other, '--html', join(out.path, 'cmp2.html')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: these runs drove different kinds of endpoint \(chat, embeddings\): their token figures do not compare/);
  });

  it('a last line cut mid-write is skipped with a warning', async () => {
    const dir = join(out.path, 'cut');
    cpSync(single, dir, { recursive: true });
    rmSync(join(dir, 'summary.json'));
    appendFileSync(join(dir, 'requests.jsonl'), '{"step":0,"index":99,"sent_');
    const r = await runCli(['report', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: requests\.jsonl line 17 is cut short \(the run stopped mid-write\): skipped/);
    expect((JSON.parse(r.stdout) as SummaryDoc).steps[0]!.requests.total).toBe(16);
  });

  it.each([
    [['report', '/nonexistent/run'], /^evalperf: \/nonexistent\/run: no such folder/],
    [['compare', '/tmp'], /^evalperf: compare needs two or more run folders/],
    [['report', '/tmp'], /^evalperf: \/tmp is not a run folder/],
  ])('%j exits 2 with one line', async (args, message) => {
    const r = await runCli(args, { timeoutMs: 15_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('a malformed line in the middle of requests.jsonl exits 2 naming the line', async () => {
    const dir = join(out.path, 'bad');
    cpSync(single, dir, { recursive: true });
    const lines = readFileSync(join(dir, 'requests.jsonl'), 'utf8').split('\n');
    lines[2] = '{oops';
    writeFileSync(join(dir, 'requests.jsonl'), lines.join('\n'));
    const r = await runCli(['report', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/requests\.jsonl line 3 is not valid JSON .*: fix or delete that line/);
  });
});
