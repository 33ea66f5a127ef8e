import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hubQuestion } from '../benchmarks/mmlu.js';
import { hubRow as arcRow } from '../benchmarks/arc.js';
import { hubRow as hellaswagRow } from '../benchmarks/hellaswag.js';
import { hubTargets } from '../benchmarks/truthfulqa.js';
import { getBenchmark } from '../registry.js';
import { hubSource, type HubSource } from './source.js';
import { writeParquet } from './parquet-writer.test-util.js';
import { writeZip } from './zip-writer.test-util.js';

// A stand-in for the Hugging Face hub on 127.0.0.1, serving files the test builds. Tests never
// touch the network.
const files = new Map<string, Buffer>();
const requests: string[] = [];
let server: Server;
let base: string;
let cache: string;

const at = (repo: string, path: string): string => `/datasets/${repo}/resolve/main/${path}`;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url!);
    if (req.url === '/redirect-me') {
      res.writeHead(302, { location: at('HuggingFaceH4/MATH-500', 'test.jsonl') }).end();
      return;
    }
    const body = files.get(decodeURIComponent(req.url!));
    if (!body) res.writeHead(404).end('not found');
    else res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  files.set(at('openai/gsm8k', 'main/test-00000-of-00001.parquet'), writeParquet([
    { name: 'question', kind: 'string', values: ['What is 2 + 2?', 'Ünïcode: how many € is 1,000 cents?'] },
    { name: 'answer', kind: 'string', values: ['2 + 2 = 4\n#### 4', 'It is 10.\n#### 1,0'] },
  ]));
  files.set(at('openai/gsm8k', 'main/train-00000-of-00001.parquet'), writeParquet([
    { name: 'question', kind: 'string', values: ['Train q?'] },
    { name: 'answer', kind: 'string', values: ['work\n#### 7'] },
  ]));
  files.set(at('openai/openai_humaneval', 'openai_humaneval/test-00000-of-00001.parquet'), writeParquet([
    { name: 'task_id', kind: 'string', values: ['HumanEval/0'] },
    { name: 'prompt', kind: 'string', values: ['def f():\n'] },
    { name: 'canonical_solution', kind: 'string', values: ['    return 1\n'] },
    { name: 'test', kind: 'string', values: ['def check(c):\n    assert c() == 1\n'] },
    { name: 'entry_point', kind: 'string', values: ['f'] },
  ]));
  for (const s of ['accountant', 'law']) {
    files.set(at('ceval/ceval-exam', `${s}/val-00000-of-00001.parquet`), writeParquet([
      { name: 'id', kind: 'int64', values: [0, 1] },
      { name: 'question', kind: 'string', values: [`${s} 问题一____`, `${s} 问题二____`] },
      ...['A', 'B', 'C', 'D'].map((k) => ({ name: k, kind: 'string' as const, values: [`${k}1`, `${k}2`] })),
      { name: 'answer', kind: 'string', values: ['C', 'A'] },
    ]));
  }
  files.set(at('HuggingFaceH4/MATH-500', 'test.jsonl'), Buffer.from(
    JSON.stringify({ problem: 'What is $1+1$?', solution: '$\\boxed{2}$', answer: '2', subject: 'Prealgebra', level: 1, unique_id: 'test/prealgebra/1.json' }) + '\n' +
    JSON.stringify({ problem: 'Count.', solution: '$\\boxed{3}$', answer: '3', subject: 'Counting & Probability', level: 4, unique_id: 'test/counting_and_probability/2.json' }) + '\n',
  ));
  const csv = (rows: string[][]): string => [',Question,A,B,C,D,Answer', ...rows.map((r, k) => [k, ...r].join(','))].join('\n') + '\n';
  files.set(at('haonan-li/cmmlu', 'cmmlu_v1_0_1.zip'), writeZip({
    'test/agronomy.csv': csv([['农业问题', '甲', '乙', '丙', '丁', 'B'], ['"带,逗号"', '甲', '乙', '丙', '丁', 'D']]),
    'dev/agronomy.csv': csv([['示例', '甲', '乙', '丙', '丁', 'A']]),
    'test/anatomy.csv': csv([['解剖问题', '甲', '乙', '丙', '丁', 'C']]),
  }));
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let src: HubSource;
beforeEach(() => {
  cache = mkdtempSync(join(tmpdir(), 'evalperf-hub-test-'));
  src = hubSource({}, { EVALPERF_HUB_URL: base, EVALPERF_CACHE: cache });
  requests.length = 0;
  return () => rmSync(cache, { recursive: true, force: true });
});

describe('hub source (local stand-in server)', () => {
  it('takes its URL and cache folder from EVALPERF_HUB_URL / EVALPERF_CACHE, then the defaults', () => {
    expect(src).toMatchObject({ kind: 'hub', baseUrl: base, cacheDir: join(cache, 'datasets') });
    expect(hubSource({}, { HOME: '/home/u' }).baseUrl).toBe('https://huggingface.co');
    expect(hubSource({ baseUrl: 'http://mirror.local/' }, {}).baseUrl).toBe('http://mirror.local');
  });

  it('GSM8K from parquet, downloaded once into the cache, then read from it', async () => {
    const items = await getBenchmark('gsm8k').load(src, { shots: 1, seed: 0 });
    expect(items.map((i) => [i.question, i.gold])).toEqual([
      ['What is 2 + 2?', '4'],
      ['Ünïcode: how many € is 1,000 cents?', '10'],
    ]);
    expect(items[0]!.fewshot).toEqual([{ question: 'Train q?', answer: 'work\n#### 7' }]);
    expect(requests).toHaveLength(2);
    expect(existsSync(join(cache, 'datasets/openai/gsm8k/main/main/test-00000-of-00001.parquet'))).toBe(true);
    await getBenchmark('gsm8k').load(src, { shots: 1, seed: 0 });
    expect(requests).toHaveLength(2);
  });

  it('HumanEval, C-Eval (INT64 column) from parquet', async () => {
    const he = await getBenchmark('humaneval').load(src, { shots: 0, seed: 0 });
    expect(he[0]).toMatchObject({ id: 'HumanEval/0', gold: 'f', code: { entryPoint: 'f', canonical: '    return 1\n' } });
    const ce = await getBenchmark('ceval').load(src, { shots: 0, seed: 0, subsets: ['accountant', 'law'] });
    expect(ce.map((i) => [i.id, i.gold, i.categories[0]])).toEqual([
      ['accountant/0', 'C', 'Other'],
      ['accountant/1', 'A', 'Other'],
      ['law/0', 'C', 'Humanities'],
      ['law/1', 'A', 'Humanities'],
    ]);
  });

  it('MATH-500 from JSON lines, following a redirect like the hub’s CDN', async () => {
    const items = await getBenchmark('math500').load(src, { shots: 0, seed: 0 });
    expect(items.map((i) => [i.id, i.subset, i.gold, i.categories[0]])).toEqual([
      ['test/prealgebra/1.json', 'prealgebra', '2', 'Level 1'],
      ['test/counting_and_probability/2.json', 'counting_and_probability', '3', 'Level 4'],
    ]);
    const res = await fetch(`${base}/redirect-me`);
    expect(res.status).toBe(200);
  });

  it('CMMLU from the release zip', async () => {
    const items = await getBenchmark('cmmlu').load(src, { shots: 1, seed: 0, subsets: ['agronomy'] });
    expect(items.map((i) => [i.question, i.gold])).toEqual([
      ['农业问题', 'B'],
      ['带,逗号', 'D'],
    ]);
    expect(items[0]!.fewshot).toEqual([{ question: '示例', choices: ['甲', '乙', '丙', '丁'], answer: 'A' }]);
  });

  it('a missing file is a one-line error naming the URL and suggesting --data-dir; nothing is cached', async () => {
    await expect(getBenchmark('arc_easy').load(src, { shots: 0, seed: 0 })).rejects.toThrow(
      `download failed: ${base}/datasets/allenai/ai2_arc/resolve/main/ARC-Easy/test-00000-of-00001.parquet: HTTP 404 (use --data-dir to load a local copy instead)`,
    );
    expect(readdirSync(cache)).toEqual([]);
  });

  it('an unreachable hub names the URL', async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const dead = hubSource({ baseUrl: `http://127.0.0.1:${port}`, cacheDir: join(cache, 'd') }, {});
    await expect(getBenchmark('gsm8k').load(dead, { shots: 0, seed: 0 })).rejects.toThrow(
      new RegExp(`^download failed: http://127\\.0\\.0\\.1:${port}/datasets/openai/gsm8k/resolve/main/main/test-00000-of-00001\\.parquet: .*ECONNREFUSED.* \\(use --data-dir`),
    );
  });

  it('a corrupt parquet file is an error naming the cached file', async () => {
    files.set(at('Rowan/hellaswag', 'data/validation-00000-of-00001.parquet'), Buffer.from('not parquet at all'));
    await expect(getBenchmark('hellaswag').load(src, { shots: 0, seed: 0 })).rejects.toThrow(/validation-00000-of-00001\.parquet: not a readable parquet file/);
  });
});

describe('hub rows with nested columns (as hyparquet returns them)', () => {
  const loc = 'x.parquet row 1';
  it('MMLU: choices list, answer index as bigint', () => {
    expect(hubQuestion({ value: { question: 'Q', subject: 'anatomy', choices: ['a', 'b', 'c', 'd'], answer: 2n }, loc })).toEqual({
      question: 'Q',
      choices: ['a', 'b', 'c', 'd'],
      answer: 'C',
    });
    expect(() => hubQuestion({ value: { question: 'Q', choices: ['a', 'b', 'c', 'd'], answer: 4n }, loc })).toThrow('x.parquet row 1: answer "E" is not one of 4 options');
  });

  it('ARC: choices struct of label and text lists; numeric labels lettered by position', () => {
    const q = arcRow({ value: { id: 'Q1', question: 'Why?', choices: { text: ['x', 'y', 'z'], label: ['1', '2', '3'] }, answerKey: '3' }, loc });
    expect(q).toEqual({ id: 'Q1', question: 'Why?', choices: ['x', 'y', 'z'], answer: 'C' });
  });

  it('HellaSwag: lm-eval cleaning of ctx_a + capitalised ctx_b, string label', () => {
    const q = hellaswagRow(
      { value: { ind: 24n, activity_label: 'Making a cake', ctx_a: 'A woman mixes [header] flour.', ctx_b: 'SHE then', endings: ['Mix [title] Bake it.', 'b', 'c', 'd'], label: '1' }, loc },
      0,
    );
    expect(q).toEqual({ id: '24', query: 'Making a cake: A woman mixes flour. She then', endings: ['Mix. Bake it.', 'b', 'c', 'd'], label: 1 });
  });

  it('TruthfulQA: targets struct of choices and labels', () => {
    expect(hubTargets({ value: { mc1_targets: { choices: ['t', 'f'], labels: [1, 0] } }, loc }, 'mc1_targets')).toEqual([
      { text: 't', ok: true },
      { text: 'f', ok: false },
    ]);
  });
});
