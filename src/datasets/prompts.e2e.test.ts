import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, readJsonl, runCli, runDir, startServe, tempDir } from '../cli/e2e.test-util.js';
import { writeTokenizer } from '../tokenizer/fixtures.test-util.js';
import { loadTokenizer } from '../tokenizer/tokenizer.js';
import { promptText } from './bodies.js';
import { readDataset } from './dataset-files.js';
import { exactWords } from './exact-prompts.js';
import { parseLength } from './lengths.js';
import { promptLength } from './random.js';
import { WORDS } from './synthetic.js';

/**
 * Prompts through the built CLI against the simulator, which counts prompt tokens as words and
 * replies with exactly max_tokens tokens: what was sent can be checked in requests.jsonl.
 */
type Line = { step: number; index: number; input_tokens: number; output_tokens: number; status: number };
type Summary = { steps: { requests: { total: number; succeeded: number } }[] };

const sample = (name: string) => fileURLToPath(new URL(`../../datasets/${name}`, import.meta.url));
const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

describe('evalperf run --dataset / --tokenizer against the simulator', () => {
  let sim: Awaited<ReturnType<typeof startServe>>;
  const out = tempDir('prompts-e2e');
  // The simulator logs each request under its prompt's first word.
  const log = join(out.path, 'sim-log.jsonl');
  beforeAll(async () => {
    sim = await startServe(['--itl-ms', '1', '--itl-ms-per-seq', '0', '--prefill-ms-per-token', '0', '--request-log', log]);
  });
  afterAll(async () => {
    await sim?.close();
    out.remove();
  });
  const run = async (name: string, args: string[]) => {
    const dir = join(out.path, name);
    const r = await runCli(['run', '--url', sim.url, '--json', '--out', dir, ...args]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as Summary;
    return { summary, lines: readJsonl<Line>(join(runDir(dir), 'requests.jsonl')), runJson: readJson<Record<string, unknown>>(join(runDir(dir), 'run.json')) };
  };

  it('jsonl: every kind of line is sent, the file cycles past its end, --max-tokens 4:12 --ignore-eos gives lengths in range', async () => {
    const file = sample('sample-prompts.jsonl');
    const { summary, lines, runJson } = await run('jsonl', ['--parallel', '4', '--number', '40', '--dataset', `jsonl:${file}`, '--max-tokens', '4:12', '--ignore-eos']);
    expect(summary.steps[0]!.requests).toMatchObject({ total: 40, succeeded: 40 });
    const expected = readDataset('jsonl', file, null).entries.map((e) => words(promptText(e)));
    expect(expected).toHaveLength(16);
    for (const l of lines) expect(l.input_tokens, `request ${l.index}`).toBe(expected[l.index % 16]);
    const outLens = lines.map((l) => l.output_tokens);
    expect(outLens.every((n) => n >= 4 && n <= 12)).toBe(true);
    expect(new Set(outLens).size).toBeGreaterThan(3);
    expect(runJson.dataset).toMatch(/^jsonl:.*sample-prompts.jsonl \(16 prompts; /);
    expect(runJson.prompts).toMatchObject({ dataset: 'jsonl', max_tokens: '4:12', ignore_eos: true, counted_by: 'estimate' });
  });

  it('sharegpt with --max-tokens dataset and a tokenizer: each reply as long as the reference reply', async () => {
    const file = sample('sample-sharegpt.json');
    const { lines, runJson } = await run('sharegpt', ['--parallel', '2', '--number', '14', '--dataset', `sharegpt:${file}`, '--max-tokens', 'dataset', '--tokenizer', 'tiktoken:cl100k_base']);
    const tok = await loadTokenizer({ kind: 'tiktoken', encoding: 'cl100k_base' });
    const entries = readDataset('sharegpt', file, null).entries;
    expect(lines).toHaveLength(14);
    for (const l of lines) {
      const e = entries[l.index % entries.length]!;
      if (e.kind !== 'text') throw new Error('ShareGPT prompts are text');
      expect(l.output_tokens).toBe(tok.count(e.reference!));
      expect(l.input_tokens).toBe(words(e.text));
    }
    expect(runJson.prompts).toMatchObject({ dataset: 'sharegpt', tokenizer: 'tiktoken:cl100k_base', counted_by: 'tokenizer', prompts: 7, skipped: 1 });
  });

  it('lines: prompts in file order; the warmup takes them from the end', async () => {
    const before = existsSync(log) ? readJsonl(log).length : 0;
    const { lines } = await run('lines', ['--parallel', '1', '--number', '4', '--warmup', '2', '--dataset', 'datasets/sample-prompts.txt', '--max-tokens', '2']);
    expect(lines).toHaveLength(4);
    const firstWords = readFileSync(sample('sample-prompts.txt'), 'utf8').trim().split('\n').map((l) => l.split(' ')[0]);
    // The first is the check request evalperf sends before any load.
    const keys = readJsonl<{ prompt: string }>(log).slice(before + 1).map((l) => l.prompt);
    expect(keys).toEqual([5, 4, 0, 1, 2, 3].map((i) => firstWords[i]));
  });

  it('random prompts exact under a tokenizer, a shared prefix, a warmup and two steps', async () => {
    // A tokenizer where the words are one token each: the simulator's word count is then the token count.
    const tok = writeTokenizer(join(out.path, 'tok'), 'gpt2', WORDS);
    const { summary, lines, runJson } = await run('random', ['--parallel', '2', '3', '--number', '15', '--warmup', '3', '--tokenizer', tok, '--input-tokens', '30:60', '--prefix-tokens', '20', '--max-tokens', '5']);
    expect(summary.steps.map((s) => s.requests.succeeded)).toEqual([15, 15]);
    // Each request as long as planned for its step and index (the simulator counted it).
    const words = exactWords(await loadTokenizer({ kind: 'hf', name: tok, file: join(tok, 'tokenizer.json'), config: null }));
    const spec = { words, prefix: '', prefixTokens: 20, inputTokens: parseLength('30:60', 'x'), seed: 1, marker: false };
    for (const l of lines) expect(l.input_tokens, `step ${l.step} request ${l.index}`).toBe(promptLength(spec, l.step, l.index));
    expect(new Set(lines.map((l) => l.input_tokens)).size).toBeGreaterThan(8);
    expect(lines.every((l) => l.output_tokens === 5)).toBe(true);
    expect(runJson.prompts).toMatchObject({ dataset: 'random', tokenizer: `hf:${tok}`, counted_by: 'tokenizer', input_tokens: '30:60', prefix_tokens: 20, verified: 18 });
    expect((runJson.request as { input_tokens: string }).input_tokens).toBe('30:60');
  });

  it('bad prompt input is one line naming the file, the line and the fix, and exit 2, before any load', async () => {
    const bad = join(out.path, 'bad.jsonl');
    writeFileSync(bad, '"fine"\n{"messages": [{"role": "user", "content": "x"}],}\n');
    const chat = join(out.path, 'chat.jsonl');
    writeFileSync(chat, '"fine"\n[{"role": "user", "content": "x"}]\n');
    const jsonl = `jsonl:${sample('sample-prompts.jsonl')}`;
    const cases: [string[], RegExp][] = [
      [['--dataset', `jsonl:${bad}`], /^evalperf: .*bad\.jsonl:2: not valid JSON \(.*\); each line must be one JSON value/],
      [['--dataset', 'jsonl:missing.jsonl'], /^evalperf: --dataset jsonl:missing.jsonl: no such file/],
      [['--dataset', 'csv:x.csv'], /^evalperf: --dataset csv:x.csv: expected random, jsonl:PATH, lines:PATH or sharegpt:PATH/],
      [['--api', 'completions', '--dataset', `jsonl:${chat}`], /^evalperf: .*chat.jsonl:2: chat messages need the chat API/],
      [['--dataset', jsonl, '--input-tokens', '64'], /^evalperf: --input-tokens is for --dataset random/],
      [['--input-tokens', '100', '--prefix-tokens', '100'], /^evalperf: --prefix-tokens 100: must be less than the shortest prompt/],
      [['--max-tokens', 'dataset'], /^evalperf: --max-tokens dataset takes each prompt's own length from a dataset/],
      [['--max-tokens', '10:5'], /^evalperf: --max-tokens 10:5: expected MIN:MAX/],
      [['--tokenizer', 'tiktoken:nope'], /^evalperf: --tokenizer tiktoken:nope: unknown encoding/],
      [['--tokenizer', join(out.path, 'none.json')], /^evalperf: --tokenizer .*none.json: no such file or folder/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(['run', '--number', '2', '--no-tui', '--out', join(out.path, 'never'), ...args])));
    results.forEach((r, k) => {
      expect(r.code, `${cases[k]![0].join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(cases[k]![1]);
      expect(r.stderr).not.toMatch(/started the built-in simulator/);
    });
    expect(() => readFileSync(join(out.path, 'never'))).toThrow();
  });
});
