import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SIM_OPTIONS, type SimOptions } from './options.js';
import { startSimServer, type SimServer } from './server.js';
import { postJson, waitFor } from './server.test-util.js';
import { countSimTokens } from './tokens.js';

const FAST: SimOptions = { ...DEFAULT_SIM_OPTIONS, port: 0, itlMs: 2, itlMsPerSeq: 0, prefillMsPerToken: 0 };
const PROMPT = 'Explain continuous batching in one short paragraph, please.';

function events(body: string): string[] {
  expect(body.endsWith('\n\n')).toBe(true);
  return body
    .split('\n\n')
    .filter((e) => e.length > 0)
    .map((e) => {
      expect(e.startsWith('data: ')).toBe(true);
      return e.slice(6);
    });
}

const post = (base: string, path: string, body: unknown, signal?: AbortSignal) => postJson(base + path, body, { ...(signal && { signal }) });

describe('sim server', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await startSimServer(FAST);
  });
  afterAll(async () => {
    await sim.close();
  });

  it('listens on a free port and serves /v1/models and /health', async () => {
    expect(sim.port).toBeGreaterThan(0);
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}/v1`);
    const res = await fetch(`${sim.url}/models`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { object: string; data: { id: string; object: string; owned_by: string; created: number }[] };
    expect(body.object).toBe('list');
    expect(body.data[0]).toMatchObject({ id: 'sim-llm', object: 'model', owned_by: 'evalperf-sim' });
    expect(typeof body.data[0]?.created).toBe('number');
    const health = await fetch(`http://127.0.0.1:${sim.port}/health`);
    expect(health.status).toBe(200);
  });

  it('streams a chat completion: role, max_tokens content chunks, finish, usage, [DONE]', async () => {
    const res = await post(sim.url, '/chat/completions', {
      model: 'whatever',
      messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: [{ type: 'text', text: PROMPT }] }],
      max_tokens: 7,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const ev = events(await res.text());
    expect(ev.length).toBe(1 + 7 + 1 + 1 + 1);
    expect(ev.at(-1)).toBe('[DONE]');
    const chunks = ev.slice(0, -1).map((e) => JSON.parse(e) as Record<string, any>);
    const id = chunks[0]?.id as string;
    expect(id).toMatch(/^chatcmpl-/);
    for (const c of chunks) {
      expect(c).toMatchObject({ id, object: 'chat.completion.chunk', model: 'whatever' });
      expect(typeof c.created).toBe('number');
    }
    expect(chunks[0]?.choices).toEqual([
      { index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null },
    ]);
    const content = chunks.slice(1, 8);
    let text = '';
    for (const c of content) {
      expect(c.choices[0].finish_reason).toBeNull();
      expect(c.choices[0].delta.content).toMatch(/^ [a-z]+$/);
      text += c.choices[0].delta.content as string;
    }
    expect(countSimTokens(text)).toBe(7);
    expect(chunks[8]?.choices[0]).toMatchObject({ index: 0, delta: {}, finish_reason: 'length' });
    expect(chunks[9]?.choices).toEqual([]);
    expect(chunks[9]?.usage).toEqual({
      prompt_tokens: countSimTokens('be brief') + countSimTokens(PROMPT),
      completion_tokens: 7,
      total_tokens: countSimTokens('be brief') + countSimTokens(PROMPT) + 7,
    });
  });

  it('streams without a usage chunk unless include_usage is set', async () => {
    const res = await post(sim.url, '/chat/completions', {
      messages: [{ role: 'user', content: PROMPT }],
      max_completion_tokens: 3,
      stream: true,
    });
    const ev = events(await res.text());
    expect(ev.length).toBe(1 + 3 + 1 + 1);
    expect(ev.some((e) => e.includes('"usage"'))).toBe(false);
    expect(JSON.parse(ev[0] as string).model).toBe('sim-llm');
  });

  it('streams a text completion', async () => {
    const res = await post(sim.url, '/completions', {
      model: 'sim-llm',
      prompt: ['one two three', 'four five'],
      max_tokens: 4,
      stream: true,
      stream_options: { include_usage: true },
    });
    const ev = events(await res.text());
    expect(ev.length).toBe(4 + 1 + 1 + 1);
    const chunks = ev.slice(0, -1).map((e) => JSON.parse(e) as Record<string, any>);
    expect(chunks[0]?.id).toMatch(/^cmpl-/);
    for (const c of chunks) expect(c.object).toBe('text_completion');
    for (const c of chunks.slice(0, 4)) expect(c.choices[0].text).toMatch(/^ [a-z]+$/);
    expect(chunks[4]?.choices[0]).toMatchObject({ text: '', finish_reason: 'length' });
    expect(chunks[5]?.usage).toEqual({ prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 });
    expect(ev.at(-1)).toBe('[DONE]');
  });

  it('answers non-streaming chat and completions with one JSON body', async () => {
    const res = await post(sim.url, '/chat/completions', { messages: [{ role: 'user', content: PROMPT }], max_tokens: 6 });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as Record<string, any>;
    expect(body).toMatchObject({ object: 'chat.completion', model: 'sim-llm' });
    expect(body.choices[0]).toMatchObject({ index: 0, finish_reason: 'length', message: { role: 'assistant' } });
    expect(countSimTokens(body.choices[0].message.content)).toBe(6);
    expect(body.usage).toEqual({ prompt_tokens: countSimTokens(PROMPT), completion_tokens: 6, total_tokens: countSimTokens(PROMPT) + 6 });

    const res2 = await post(sim.url, '/completions', { prompt: 'a b c', max_tokens: 2, min_tokens: 2 });
    const body2 = (await res2.json()) as Record<string, any>;
    expect(body2.object).toBe('text_completion');
    expect(countSimTokens(body2.choices[0].text)).toBe(2);
    expect(body2.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
  });

  it('uses defaultMaxTokens without max_tokens, min_tokens..max_tokens with both', async () => {
    const sim2 = await startSimServer({ ...FAST, itlMs: 0.2, defaultMaxTokens: 9 });
    try {
      const body = (await (await post(sim2.url, '/completions', { prompt: 'x' })).json()) as Record<string, any>;
      expect(body.usage.completion_tokens).toBe(9);
      expect(body.choices[0].finish_reason).toBe('stop');
      for (let i = 0; i < 5; i++) {
        const b = (await (await post(sim2.url, '/completions', { prompt: 'x', max_tokens: 8, min_tokens: 4 })).json()) as Record<string, any>;
        expect(b.usage.completion_tokens).toBeGreaterThanOrEqual(4);
        expect(b.usage.completion_tokens).toBeLessThanOrEqual(8);
      }
    } finally {
      await sim2.close();
    }
  });

  it('rejects bad requests with 400 and unknown paths with 404 (vLLM error shape)', async () => {
    const bad = await post(sim.url, '/chat/completions', '{"messages": [');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ object: 'error', type: 'BadRequestError', code: 400 });
    for (const [path, body] of [
      ['/chat/completions', { model: 'm' }],
      ['/chat/completions', { messages: [] }],
      ['/completions', { model: 'm' }],
      ['/completions', { prompt: 'x', max_tokens: 0 }],
      ['/completions', { prompt: 'x', max_tokens: 2, min_tokens: 3 }],
      ['/completions', { prompt: 'x', stream_options: { include_usage: true } }],
      ['/chat/completions', [1, 2]],
    ] as const) {
      const res = await post(sim.url, path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const err = (await res.json()) as { message: string; code: number };
      expect(err.code).toBe(400);
      expect(err.message.length).toBeGreaterThan(0);
    }
    const nf = await fetch(`${sim.url}/nope`);
    expect(nf.status).toBe(404);
    expect(await nf.json()).toMatchObject({ object: 'error', type: 'NotFoundError', code: 404 });
    const wrongMethod = await fetch(`${sim.url}/chat/completions`);
    expect(wrongMethod.status).toBe(405);
    await wrongMethod.text();
  });

  it('a client abort mid-stream frees the slot and the server keeps serving', async () => {
    const ac = new AbortController();
    const res = await post(sim.url, '/chat/completions', { messages: [{ role: 'user', content: 'hi' }], max_tokens: 100_000, stream: true }, ac.signal);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await reader.read();
    expect(sim.stats().running).toBe(1);
    ac.abort();
    await reader.cancel().catch(() => {});
    await waitFor(() => sim.stats().running === 0);
    expect(sim.stats().waiting).toBe(0);
    const ok = await post(sim.url, '/completions', { prompt: 'x', max_tokens: 2 });
    expect(ok.status).toBe(200);
    await ok.text();
  });
});

describe('sim server options', () => {
  it('queues beyond maxNumSeqs; aborting a queued or running non-streamed request frees it', async () => {
    const sim = await startSimServer({ ...FAST, maxNumSeqs: 1 });
    try {
      const acA = new AbortController();
      const acB = new AbortController();
      const a = post(sim.url, '/completions', { prompt: 'x', max_tokens: 100_000 }, acA.signal).catch((e: Error) => e);
      await waitFor(() => sim.stats().running === 1);
      const b = post(sim.url, '/completions', { prompt: 'y', max_tokens: 100_000 }, acB.signal).catch((e: Error) => e);
      await waitFor(() => sim.stats().waiting === 1);
      acB.abort();
      await waitFor(() => sim.stats().waiting === 0);
      expect(sim.stats().running).toBe(1);
      acA.abort();
      await waitFor(() => sim.stats().running === 0);
      expect(await a).toBeInstanceOf(Error);
      expect(await b).toBeInstanceOf(Error);
      const ok = await post(sim.url, '/completions', { prompt: 'x', max_tokens: 2 });
      expect(ok.status).toBe(200);
      await ok.text();
      expect(sim.stats()).toEqual({ running: 0, waiting: 0, served: 1 });
    } finally {
      await sim.close();
    }
  });

  it('strictModel rejects an unknown model with 404', async () => {
    const sim = await startSimServer({ ...FAST, strictModel: true, model: 'm1' });
    try {
      const res = await post(sim.url, '/completions', { model: 'm2', prompt: 'x', max_tokens: 1 });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ object: 'error', type: 'NotFoundError', code: 404 });
      const ok = await post(sim.url, '/completions', { model: 'm1', prompt: 'x', max_tokens: 1 });
      expect(ok.status).toBe(200);
      await ok.text();
    } finally {
      await sim.close();
    }
  });

  it('times TTFT and TPOT as configured; the role chunk precedes prefill', async () => {
    // TTFT = itl + perSeq + prefill * prompt = 15 + 1 + 1 * 40 = 56 ms; TPOT = 16 ms
    const sim = await startSimServer({ ...FAST, itlMs: 15, itlMsPerSeq: 1, prefillMsPerToken: 1 });
    try {
      const prompt = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
      const body = JSON.stringify({ messages: [{ role: 'user', content: prompt }], max_tokens: 6, stream: true });
      const url = new URL(`${sim.url}/chat/completions`);
      const arrivals: { t: number; text: string }[] = [];
      const sent = performance.now();
      await new Promise<void>((resolve, reject) => {
        const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
          res.setEncoding('utf8');
          res.on('data', (d: string) => arrivals.push({ t: performance.now() - sent, text: d }));
          res.on('end', () => resolve());
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
      const role = arrivals.find((a) => a.text.includes('"role"'));
      const tokens = arrivals.filter((a) => a.text.includes('"content":" '));
      expect(tokens.length).toBe(6);
      expect(role?.t).toBeLessThan(30);
      const ttft = tokens[0]?.t as number;
      expect(ttft).toBeGreaterThan(54);
      // Exact step timing is proven with a fake clock (scheduler.test.ts); in real time on a loaded
      // 2-core machine the event loop can be tens of ms late, so the upper bound only catches gross errors.
      expect(ttft).toBeLessThan(56 + 30);
      const tpot = ((tokens[5]?.t as number) - ttft) / 5;
      expect(tpot).toBeGreaterThan(15);
      expect(tpot).toBeLessThan(16 + 8);
    } finally {
      await sim.close();
    }
  });

  it('close() ends in-flight streams and the listener', async () => {
    const sim = await startSimServer(FAST);
    const res = await post(sim.url, '/chat/completions', { messages: [{ role: 'user', content: 'x' }], max_tokens: 100_000, stream: true });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await sim.close();
    await expect((async () => { for (;;) { const r = await reader.read(); if (r.done) return; } })()).rejects.toThrow();
    await expect(fetch(`${sim.url}/models`)).rejects.toThrow();
  });
});
