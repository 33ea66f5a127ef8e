import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFaults } from './faults.js';
import { DEFAULT_SIM_OPTIONS, type SimOptions } from './options.js';
import { decodeBase64 } from './pooling.js';
import { startSimServer, type SimServer } from './server.js';
import { postJson, waitFor } from './server.test-util.js';

const FAST: SimOptions = { ...DEFAULT_SIM_OPTIONS, port: 0, itlMs: 1, itlMsPerSeq: 0, prefillMsPerToken: 0 };
const words = (n: number, tag = 'w') => Array.from({ length: n }, (_, i) => `${tag}${i}`).join(' ');

/** Posts JSON; `headers` and `signal` as the cases need them. */
const post = (url: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) => postJson(url, body, { headers, ...(signal && { signal }) });

describe('sim server pooling endpoints', () => {
  let sim: SimServer;
  let dir: string;
  let base: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evalperf-pool-'));
    sim = await startSimServer({ ...FAST, requestLog: join(dir, 'log.jsonl') });
    base = `http://127.0.0.1:${sim.port}`;
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('embeds a string and a list, one unit vector per input, usage in words', async () => {
    const one = await post(`${sim.url}/embeddings`, { model: 'e5', input: 'the quick brown fox' }, { 'x-request-id': 'emb-1' });
    expect(one.status).toBe(200);
    expect(one.headers.get('content-type')).toBe('application/json');
    const a = (await one.json()) as Record<string, any>;
    expect(a).toMatchObject({ object: 'list', model: 'e5' });
    expect(a.id).toMatch(/^embd-/);
    expect(typeof a.created).toBe('number');
    expect(a.usage).toEqual({ prompt_tokens: 4, total_tokens: 4, completion_tokens: 0, prompt_tokens_details: null });
    expect(a.data.length).toBe(1);
    expect(a.data[0]).toMatchObject({ index: 0, object: 'embedding' });
    const v = a.data[0].embedding as number[];
    expect(v.length).toBe(384);
    expect(Math.hypot(...v)).toBeCloseTo(1, 5);

    const list = await post(`${sim.url}/embeddings`, { input: ['the quick brown fox', 'jumps', 'over the dog'], encoding_format: 'base64', dimensions: 16 });
    const b = (await list.json()) as Record<string, any>;
    expect(b.model).toBe('sim-llm');
    expect(b.usage.prompt_tokens).toBe(4 + 1 + 3);
    expect(b.data.map((d: any) => d.index)).toEqual([0, 1, 2]);
    const first = Array.from(decodeBase64(b.data[0].embedding as string));
    expect(first.length).toBe(16);
    // Same text, same direction: the 16-dim vector is the 384-dim one's head, renormalised.
    expect(first[0]! / first[1]!).toBeCloseTo(v[0]! / v[1]!, 4);
  });

  it.each(['/v1/rerank', '/rerank', '/v2/rerank'])('reranks at %s: sorted, top_n, documents', async (path) => {
    const documents = ['unrelated words only', 'a cat sat', { text: 'the cat sat on the mat' }];
    const res = await post(base + path, { query: 'cat sat mat', documents, top_n: 2, return_documents: true });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(Object.keys(body)).toEqual(['id', 'model', 'usage', 'results']);
    expect(body.id).toMatch(/^rerank-/);
    // each (query, document) pair: 3 + 3, 3 + 3, 3 + 6
    expect(body.usage).toEqual({ prompt_tokens: 21, total_tokens: 21 });
    expect(body.results).toEqual([
      { index: 2, document: { text: 'the cat sat on the mat' }, relevance_score: expect.any(Number) },
      { index: 1, document: { text: 'a cat sat' }, relevance_score: expect.any(Number) },
    ]);
    expect(body.results[0].relevance_score).toBeGreaterThan(body.results[1].relevance_score);
    const bare = (await (await post(base + path, { query: 'cat', documents: ['x', 'cat'], return_documents: false })).json()) as Record<string, any>;
    expect(bare.results).toEqual([
      { index: 1, relevance_score: expect.any(Number) },
      { index: 0, relevance_score: expect.any(Number) },
    ]);
  });

  it('answers bad requests with 400, GET with 405; other paths keep their 404', async () => {
    for (const [path, body] of [
      ['/v1/embeddings', { model: 'm' }],
      ['/v1/embeddings', { input: [] }],
      ['/v1/rerank', { query: 'q' }],
      ['/v1/rerank', { query: 'q', documents: ['a'], top_n: 'all' }],
    ] as const) {
      const res = await post(base + path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toMatchObject({ object: 'error', type: 'BadRequestError', code: 400 });
    }
    const get = await fetch(`${sim.url}/embeddings`);
    expect(get.status).toBe(405);
    await get.text();
    for (const path of ['/v1/score', '/v3/rerank', '/embeddings']) {
      const res = await post(base + path, { input: 'x' });
      expect(res.status, path).toBe(404);
      await res.text();
    }
    expect((await fetch(`${sim.url}/models`)).status).toBe(200);
  });

  it('logs pooling requests keyed by x-request-id', async () => {
    const res = await post(`${sim.url}/rerank`, { query: 'needle in', documents: ['hay'] }, { 'x-request-id': 'rr-7' });
    await res.text();
    await waitFor(() => readFileSync(join(dir, 'log.jsonl'), 'utf8').includes('"rr-7"'));
    const lines = readFileSync(join(dir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.key === 'emb-1')).toMatchObject({ prompt: 'the', fault: null });
    expect(lines.find((l) => l.key === 'rr-7')).toMatchObject({ prompt: 'needle', fault: null });
  });
});

describe('sim server pooling timing and faults', () => {
  it('latency is one prefill step: grows with prefill-ms-per-token x tokens', async () => {
    // Only lower bounds and a wide gap: a loaded machine makes requests slower, never faster.
    const sim = await startSimServer({ ...FAST, prefillMsPerToken: 3 });
    try {
      const time = async (path: string, body: unknown) => {
        const t0 = performance.now();
        const res = await post(sim.url + path, body);
        expect(res.status).toBe(200);
        await res.json();
        return performance.now() - t0;
      };
      await time('/embeddings', { input: 'warm up' }); // connection, JIT
      const small = await time('/embeddings', { input: words(5) }); // 15 ms of prefill
      const big = await time('/embeddings', { input: [words(60), words(60, 'x')] }); // 120 tokens: 360 ms
      const rerank = await time('/rerank', { query: words(10), documents: [words(40), words(40)] }); // 100 tokens: 300 ms
      expect(big).toBeGreaterThan(350);
      expect(big - small).toBeGreaterThan(150);
      expect(rerank).toBeGreaterThan(290);
    } finally {
      await sim.close();
    }
  });

  it('leaves generation state alone: output lengths drawn with or without pooling traffic match', async () => {
    const lengths = async (withPooling: boolean) => {
      const sim = await startSimServer({ ...FAST, seed: 5 });
      try {
        const out: number[] = [];
        for (let i = 0; i < 4; i++) {
          if (withPooling) {
            await (await post(`${sim.url}/embeddings`, { input: 'a b' })).text();
            await (await post(`${sim.url}/rerank`, { query: 'a', documents: ['b'] })).text();
          }
          const body = (await (await post(`${sim.url}/completions`, { prompt: 'x', max_tokens: 40, min_tokens: 1 })).json()) as Record<string, any>;
          out.push(body.usage.completion_tokens as number);
        }
        return out;
      } finally {
        await sim.close();
      }
    };
    const plain = await lengths(false);
    expect(new Set(plain).size).toBeGreaterThan(1);
    expect(await lengths(true)).toEqual(plain);
  });

  it('queues behind generation beyond maxNumSeqs; an aborted queued request leaves the queue', async () => {
    const sim = await startSimServer({ ...FAST, maxNumSeqs: 1 });
    try {
      const acGen = new AbortController();
      const gen = post(`${sim.url}/completions`, { prompt: 'x', max_tokens: 100_000 }, {}, acGen.signal).catch((e: Error) => e);
      await waitFor(() => sim.stats().running === 1);
      const acEmb = new AbortController();
      const dropped = post(`${sim.url}/embeddings`, { input: 'a' }, {}, acEmb.signal).catch((e: Error) => e);
      await waitFor(() => sim.stats().waiting === 1);
      acEmb.abort();
      await waitFor(() => sim.stats().waiting === 0);
      const queued = post(`${sim.url}/embeddings`, { input: 'b c' });
      await waitFor(() => sim.stats().waiting === 1);
      acGen.abort();
      const res = await queued;
      expect(res.status).toBe(200);
      expect(((await res.json()) as Record<string, any>).usage.prompt_tokens).toBe(2);
      expect(await gen).toBeInstanceOf(Error);
      expect(await dropped).toBeInstanceOf(Error);
      expect(sim.stats()).toEqual({ running: 0, waiting: 0, served: 1 });
    } finally {
      await sim.close();
    }
  });

  it.each([
    ['503', async (r: Response) => expect(r.status).toBe(503)],
    ['429', async (r: Response) => expect([r.status, r.headers.get('retry-after')]).toEqual([429, '1'])],
    ['error-200', async (r: Response) => expect([r.status, ((await r.json()) as any).object]).toEqual([200, 'error'])],
    ['error-event', async (r: Response) => expect([r.status, ((await r.json()) as any).error.code]).toEqual([200, 500])],
    ['truncated', async (r: Response) => expect(r.json()).rejects.toThrow()],
    ['slow-headers', async (r: Response) => expect(((await r.json()) as any).data.length).toBe(1)],
    ['reset', null],
    ['reset-mid', null],
  ] as const)('applies fault %s like a non-streamed request', async (kind, check) => {
    const sim = await startSimServer({ ...FAST, faults: parseFaults(`${kind}:1`) });
    try {
      const res = post(`${sim.url}/embeddings`, { input: 'fault test' });
      if (check === null) await expect(res).rejects.toThrow();
      else await check(await res);
    } finally {
      await sim.close();
    }
  });
});
