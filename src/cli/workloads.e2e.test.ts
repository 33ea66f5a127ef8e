import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepSummary } from '../metrics/summary.js';
import { loadTokenizer } from '../tokenizer/tokenizer.js';
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
    expect(r.stderr).toMatch(/stopped the sweep after step 0: SLO attainment 0 < 0\.5 \(--stop-on-slo\); 2 higher steps not run/);
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
      const r = await runCli(['run', '--url', prefill.url, '--parallel', '2', '--number', '12', '--turns', '3', '--input-tokens', '100', '--max-tokens', '10', '--json', '--out', dir]);
      expect(r.code, r.stderr).toBe(0);
      const s = (JSON.parse(r.stdout) as Summary).steps[0]!;
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

describe('multi-turn history is what the server said', () => {
  // A fake server that answers each request with a reply no other request gets, and keeps what it was sent.
  const replies = new Set<string>();
  const bodies: { messages: { role: string; content: string }[] }[] = [];
  let server: Server;
  let url = '';
  const out = tempDir('history');
  beforeAll(async () => {
    let n = 0;
    server = createServer((req, res) => {
      if (req.method === 'GET') return res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake', object: 'model' }] }));
      let raw = '';
      req.on('data', (d: Buffer) => (raw += d.toString()));
      req.on('end', () => {
        const body = JSON.parse(raw) as (typeof bodies)[number] & { stream: boolean };
        // The check request before the run is not streamed.
        if (!body.stream) return res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
        bodies.push(body);
        const text = `reply ${n++} "quoted"\nline, and a few more words ${'é'.repeat(n % 5)}`;
        replies.add(text);
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const chunk = (o: object) => res.write(`data: ${JSON.stringify(o)}\n\n`);
        // The reply in two content chunks: the history must hold them joined.
        chunk({ choices: [{ index: 0, delta: { content: text.slice(0, 5) } }] });
        chunk({ choices: [{ index: 0, delta: { content: text.slice(5) }, finish_reason: 'stop' }] });
        // --header x-no-usage:1 plays a server that sends no usage.
        if (req.headers['x-no-usage'] === undefined) chunk({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } });
        res.end('data: [DONE]\n\n');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    out.remove();
  });

  it('sends back each reply exactly as streamed, in order, as the assistant turns', async () => {
    const r = await runCli(['run', '--url', url, '--parallel', '3', '--number', '15', '--turns', '2:4', '--input-tokens', '5', '--no-tui', '--out', out.path]);
    expect(r.code, r.stderr).toBe(0);
    expect(bodies).toHaveLength(15);
    let later = 0;
    for (const b of bodies) {
      const roles = b.messages.map((m) => m.role);
      expect(roles.every((role, i) => role === (i % 2 === 0 ? 'user' : 'assistant'))).toBe(true);
      for (const m of b.messages.filter((x) => x.role === 'assistant')) expect(replies.has(m.content)).toBe(true);
      if (b.messages.length > 1) later++;
    }
    expect(later).toBeGreaterThan(5);
  });
});

describe('output tokens without usage', () => {
  it('--tokenizer counts each reply (token_source tokenizer); without it, one token per content event', async () => {
    const replies: string[] = [];
    const server = createServer((req, res) => {
      if (req.method === 'GET') return res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake', object: 'model' }] }));
      let raw = '';
      req.on('data', (d: Buffer) => (raw += d.toString()));
      req.on('end', () => {
        if ((JSON.parse(raw) as { stream: boolean }).stream !== true) return res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] }));
        const text = `Counting ${replies.length} tokens: naïve café, 1234567 ${'x'.repeat(replies.length)}`;
        replies.push(text);
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const part of [text.slice(0, 9), text.slice(9)]) res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: part } }] })}\n\n`);
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
        res.end('data: [DONE]\n\n');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const out = tempDir('no-usage');
    try {
      const tok = await loadTokenizer({ kind: 'tiktoken', encoding: 'cl100k_base' });
      const r = await runCli(['run', '--url', url, '--parallel', '2', '--number', '6', '--tokenizer', 'tiktoken:cl100k_base', '--json', '--out', join(out.path, 'tok')]);
      expect(r.code, r.stderr).toBe(0);
      const lines = readJsonl<Line & { output_tokens: number; token_source: string }>(join(runDir(join(out.path, 'tok')), 'requests.jsonl'));
      expect(lines.every((l) => l.token_source === 'tokenizer')).toBe(true);
      // Each reply counted exactly (the replies differ in length, so the counts differ).
      const counts = new Set(replies.map((t) => tok.count(t)));
      expect(lines.every((l) => counts.has(l.output_tokens))).toBe(true);
      expect(lines.reduce((a, l) => a + l.output_tokens, 0)).toBe(replies.reduce((a, t) => a + tok.count(t), 0));
      expect((JSON.parse(r.stdout) as Summary).steps[0]!.tokens.output_source).toBe('tokenizer');

      const plain = await runCli(['run', '--url', url, '--parallel', '1', '--number', '2', '--json', '--out', join(out.path, 'plain')]);
      expect(plain.code, plain.stderr).toBe(0);
      const p = readJsonl<Line & { output_tokens: number; token_source: string }>(join(runDir(join(out.path, 'plain')), 'requests.jsonl'));
      expect(p.map((l) => [l.output_tokens, l.token_source])).toEqual([[2, 'estimate'], [2, 'estimate']]);
    } finally {
      await new Promise((r) => server.close(r));
      out.remove();
    }
  });
});

describe('--images', () => {
  it('sends N distinct generated PNGs with each prompt, as image_url data URLs', async () => {
    const seen: { content: { type: string; text?: string; image_url?: { url: string } }[] }[] = [];
    const server = createServer((req, res) => {
      if (req.method === 'GET') return res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake', object: 'model' }] }));
      let raw = '';
      req.on('data', (d: Buffer) => (raw += d.toString()));
      req.on('end', () => {
        const body = JSON.parse(raw) as { stream: boolean; messages: (typeof seen)[number][] };
        if (body.stream) seen.push(body.messages[0]!);
        res.writeHead(200, { 'content-type': body.stream ? 'text/event-stream' : 'application/json' });
        if (!body.stream) return res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] }));
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'a b' }, finish_reason: 'stop' }] })}\n\n`);
        res.end('data: [DONE]\n\n');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const out = tempDir('images');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      const r = await runCli(['run', '--url', url, '--parallel', '2', '--number', '5', '--images', '2', '--image-size', '40x30', '--input-tokens', '8', '--no-tui', '--out', out.path]);
      expect(r.code, r.stderr).toBe(0);
      expect(seen).toHaveLength(5);
      const urls = seen.flatMap((m) => {
        expect(m.content.map((p) => p.type)).toEqual(['text', 'image_url', 'image_url']);
        expect(m.content[0]!.text!.split(' ')).toHaveLength(8);
        return m.content.slice(1).map((p) => p.image_url!.url);
      });
      expect(new Set(urls).size).toBe(10);
      for (const u of urls) {
        const png = Buffer.from(u.replace(/^data:image\/png;base64,/, ''), 'base64');
        expect([png.toString('latin1', 12, 16), png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual(['IHDR', 40, 30]);
      }
      expect(readJson<{ prompts: { images: object } }>(join(runDir(out.path), 'run.json')).prompts.images).toEqual({ count: 2, width: 40, height: 30 });
    } finally {
      await new Promise((r) => server.close(r));
      out.remove();
    }
  });
});
