import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readJson, readJsonl, runCli, runDir, tempDir } from './e2e.test-util.js';

/**
 * evalperf arena end to end: three model servers on 127.0.0.1 answer with a scripted quality
 * level (a 1, b 2, c 3) and a scripted judge reads the levels out of its prompt and prefers the
 * higher one, in a different format each time. So the leaderboard's order is known: c, b, a.
 */
interface Scripted {
  url: string;
  server: Server;
  /** Every request, the /models listing and the check request included. */
  requests: number;
  /** Requests that asked something real (not the check request's "Hi"). */
  asked: number;
  auth: Set<string>;
}

const LEVEL = { a: 1, b: 2, c: 3 } as const;
/** The judge says nothing usable about this question: its verdicts are unparsed, never guessed. */
const MUTE_QUESTION = 'You have 9 coins';

function verdictFor(qa: number, qb: number, n: number): string {
  const d = qa - qb;
  const formats: Record<number, string[]> = {
    2: ['Assistant A is far better.\n\n[[A>>B]]', 'My final verdict is: [[A>>B]]'],
    1: ['**Verdict: A>B**', 'A is slightly more complete.\n\nFinal verdict: [[A>B]]'],
    0: ['My final verdict is tie: [[A=B]]', 'Both are the same.\n[[A=B]]'],
    [-1]: ['Assistant B is better.\n\n**[[B>A]]**', '<think>A? no, B.</think>Verdict: B>A'],
    [-2]: ['B wins clearly: [[B>>A]]', 'Final verdict:\n`B>>A`'],
  };
  return formats[d]![n % 2]!;
}

async function scripted(reply: (prompt: string, n: number) => string): Promise<Scripted> {
  const s = { url: '', requests: 0, asked: 0, auth: new Set<string>() } as Scripted;
  s.server = createServer((req, res) => {
    s.requests++;
    s.auth.add(String(req.headers.authorization));
    if (req.method === 'GET') return res.end('{"data":[{"id":"served-model"}]}');
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const b = JSON.parse(body) as { stream?: boolean; messages: { content: string }[] };
      const prompt = b.messages.map((m) => m.content).join('\n');
      const text = prompt === 'Hi' ? 'Hello' : reply(prompt, s.asked++);
      if (!b.stream) {
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify({ choices: [{ message: { content: text }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 } }));
      }
      res.setHeader('content-type', 'text/event-stream');
      for (const part of text.match(/[\s\S]{1,8}/g) ?? []) res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: part } }] })}\n\n`);
      res.end('data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => s.server.listen(0, '127.0.0.1', r));
  s.url = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}/v1`;
  return s;
}

const levels = (prompt: string) => [...prompt.matchAll(/quality level (\d)/g)].map((m) => Number(m[1]));

describe('evalperf arena', () => {
  const out = tempDir('arena');
  const models: Record<keyof typeof LEVEL, Scripted> = {} as never;
  let judge: Scripted;
  const args = (dir: string, ...extra: string[]) => [
    'arena',
    ...Object.keys(LEVEL).map((k) => `--model=${k}=${models[k as keyof typeof LEVEL].url}#model-${k}`),
    `--judge=${judge.url}#judge-model`,
    '--limit', '8', '--parallel', '4', '--workers', '1', '--bootstrap', '200', '--out', dir, '--json',
    ...extra,
  ];
  const reset = () => [...Object.values(models), judge].forEach((s) => ((s.requests = 0), (s.asked = 0), s.auth.clear()));

  beforeAll(async () => {
    for (const k of Object.keys(LEVEL) as (keyof typeof LEVEL)[]) models[k] = await scripted((q) => `An answer of quality level ${LEVEL[k]} to: ${q.slice(0, 40)}`);
    judge = await scripted((prompt, n) => {
      const [qa, qb] = levels(prompt);
      if (prompt.includes(MUTE_QUESTION)) return 'Both answers have merit; it is hard to say.';
      return qb === undefined ? `The answer is adequate.\nRating: [[${qa! * 3}]]` : verdictFor(qa!, qb, n);
    });
  });
  beforeEach(reset);
  afterAll(() => {
    [...Object.values(models), judge].forEach((s) => s.server.close());
    out.remove();
  });

  it('pairwise: the leaderboard follows the scripted ranking; unparsed verdicts are counted; no key is written anywhere', async () => {
    const dir = join(out.path, 'pairwise');
    const r = await runCli(args(dir, '--api-key', 'shared-key-456'), { env: { EVALPERF_KEY_A: 'own-key-for-a-123' } });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.leaderboard.map((e: { model: string }) => e.model)).toEqual(['c', 'b', 'a']);
    const [c, b, a] = doc.leaderboard;
    expect(c.rating).toBeGreaterThan(b.rating);
    expect(b.rating).toBeGreaterThan(a.rating);
    expect((a.rating + b.rating + c.rating) / 3).toBeCloseTo(1000, 0);
    for (const e of doc.leaderboard) expect(e.ci[0] <= e.rating && e.rating <= e.ci[1]).toBe(true);
    expect(c.win_rate).toBe(1);
    expect(a.win_rate).toBe(0);
    // 8 questions x 3 pairs x 2 orders; one question's 6 verdicts are unreadable.
    expect(doc.judgments).toMatchObject({ expected: 48, parsed: 42, failed: 0, skipped: 0, unparsed: { none: 6, conflict: 0, invalid: 0 } });
    expect(doc.position_bias).toMatchObject({ first_share: 0.5, consistency: 1, pairs: 21 });
    expect(doc.win_matrix.share[2][0]).toBe(1);
    expect(judge.asked).toBe(48);
    for (const k of ['a', 'b', 'c'] as const) expect(models[k].asked).toBe(8);
    expect(models.a.auth).toEqual(new Set(['Bearer own-key-for-a-123']));
    expect([...models.b.auth, ...judge.auth]).toEqual(expect.arrayContaining(['Bearer shared-key-456']));
    expect(new Set([...models.b.auth, ...judge.auth])).toEqual(new Set(['Bearer shared-key-456']));

    const run = runDir(dir);
    expect(readJsonl(join(run, 'answers', 'c.jsonl'))).toHaveLength(8);
    expect(readJsonl(join(run, 'judgments.jsonl'))).toHaveLength(48);
    expect(readJson(join(run, 'arena.json'))).toEqual(doc);
    expect(readFileSync(join(run, 'arena.html'), 'utf8')).toMatch(/Win matrix/);
    expect(readJsonl(join(run, 'latency', 'judge', 'requests.jsonl'))).toHaveLength(48);
    for (const f of filesUnder(run)) expect(readFileSync(f, 'utf8'), f).not.toMatch(/own-key-for-a|shared-key-456/);
    expect(r.stdout + r.stderr).not.toMatch(/own-key-for-a|shared-key-456/);

    // Resume: every answer and verdict is cached, so no server is contacted at all.
    reset();
    const again = await runCli(args(dir, '--resume', run));
    expect(again.code, again.stderr).toBe(0);
    expect([models.a.requests, models.b.requests, models.c.requests, judge.requests]).toEqual([0, 0, 0, 0]);
    expect(JSON.parse(again.stdout).leaderboard).toEqual(doc.leaderboard);
  });

  it('resume asks only the missing answers (a line cut by a crash included), and only that model', async () => {
    const dir = join(out.path, 'resume');
    const first = await runCli(args(dir, '--mode', 'baseline', '--baseline', 'b'));
    expect(first.code, first.stderr).toBe(0);
    const doc = JSON.parse(first.stdout);
    expect(doc.leaderboard.map((e: { model: string }) => e.model)).toEqual(['c', 'b', 'a']);
    expect(doc.leaderboard[1]).toMatchObject({ model: 'b', rating: 1000, win_rate: null });
    expect(doc.leaderboard[0].win_rate).toBe(1);
    expect(doc.judgments.expected).toBe(8 * 2 * 2);
    const run = runDir(dir);
    const file = join(run, 'answers', 'b.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    writeFileSync(file, lines.slice(0, 5).join('\n') + '\n{"id":"reason-');
    reset();
    const second = await runCli(args(dir, '--mode', 'baseline', '--baseline', 'b', '--resume', run));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/line 6 is not a complete JSON object: skipped/);
    expect([models.a.requests, models.c.requests]).toEqual([0, 0]);
    expect(models.b.asked).toBe(3);
    // The judge is checked before the answers (they could need verdicts), but the new answers
    // have the same text, so its prompts match the cached verdicts and it is asked nothing.
    expect(judge.asked).toBe(0);
    expect(JSON.parse(second.stdout).leaderboard).toEqual(doc.leaderboard);
    expect(readdirSync(join(run, 'latency')).sort()).toEqual(['a', 'b', 'b-2', 'c', 'judge']);
  });

  it('single: each answer graded 1-10, mean grades with intervals', async () => {
    const dir = join(out.path, 'single');
    const r = await runCli(args(dir, '--mode', 'single'));
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.leaderboard).toEqual([
      { model: 'c', score: 9, ci: [9, 9], graded: 7 },
      { model: 'b', score: 6, ci: [6, 6], graded: 7 },
      { model: 'a', score: 3, ci: [3, 3], graded: 7 },
    ]);
    expect(doc.judgments).toMatchObject({ expected: 24, parsed: 21, unparsed: { none: 3 } });
    expect(judge.asked).toBe(24);
  });

  it('a judge that cannot be reached is found before any model answers', async () => {
    const r = await runCli([...args(join(out.path, 'nojudge')).filter((a) => !a.startsWith('--judge=')), '--judge', 'http://127.0.0.1:1/v1#j'], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot reach http:\/\/127.0.0.1:1\/v1: connection refused/);
    expect([models.a.asked, models.b.asked, models.c.asked]).toEqual([0, 0, 0]);
  });

  it.each([
    [['--mode', 'pairwise', '--model', 'a=http://127.0.0.1:1/v1'], /--model a is given twice/],
    [['--baseline', 'zz'], /--baseline zz: not one of the models/],
    [['--judge', 'http://127.0.0.1:1/v1'], /--judge is given more than once/],
    [['--url', 'http://127.0.0.1:1/v1'], /arena takes its servers from --model/],
    [['--verdict-pattern', 'A>B'], /has no capture group/],
    [['--questions', '/nonexistent/q.jsonl'], /--questions \/nonexistent\/q.jsonl: cannot read it/],
    [['--parallel', '1', '4'], /one load level/],
  ])('%j exits 2 with a one-line reason', async (extra, message) => {
    const r = await runCli(args(join(out.path, 'bad'), ...extra), { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(judge.requests).toBe(0);
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}
