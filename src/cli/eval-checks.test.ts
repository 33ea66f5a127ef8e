import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunPlan } from '../config/run-plan.js';
import { resolveTarget } from '../config/target.js';
import { checkLogprobs } from './eval-checks.js';
import type { EvalTask } from './eval-runner.js';
import type { ReadyTarget } from './target-setup.js';

/** A server on 127.0.0.1 that answers the logprob question as the test sets. */
describe('checkLogprobs', () => {
  let server: Server;
  let base = '';
  let answer: { status: number; body: string } = { status: 200, body: '{}' };
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => void server?.close());

  const check = (status: number, body: string): Promise<void> => {
    answer = { status, body };
    const ready: ReadyTarget = { target: resolveTarget(base, 'chat'), model: 'm', headers: { authorization: 'Bearer sk-secret-1234', 'content-type': 'application/json' }, simulator: null };
    const plan = { shape: { api: 'chat', stream: true, extraBody: {} }, insecure: false } as unknown as RunPlan;
    const task = { run: { mode: 'logprob' }, request: { body: { messages: [{ role: 'user', content: 'Q' }], logprobs: true, top_logprobs: 20 } } } as unknown as EvalTask;
    return checkLogprobs(ready, plan, task);
  };

  it('passes when the answer carries top_logprobs', async () => {
    await expect(check(200, JSON.stringify({ choices: [{ logprobs: { content: [{ token: 'A', top_logprobs: [] }] } }] }))).resolves.toBeUndefined();
  });

  it('an answer without them says to use generative mode', async () => {
    await expect(check(200, JSON.stringify({ choices: [{ message: { content: 'A' } }] }))).rejects.toThrow(/returned no top_logprobs for --mode logprob: use --mode generative/);
  });

  it('a refusal gives the server’s reason, credentials scrubbed', async () => {
    const p = check(400, JSON.stringify({ error: { message: 'top_logprobs 20 exceeds max_logprobs 5 (key sk-secret-1234)' } }));
    await expect(p).rejects.toThrow(/answered the logprob question with HTTP 400: top_logprobs 20 exceeds max_logprobs 5 \(key \*\*\*\): use --mode generative/);
  });

  it('a busy or failing server is not blamed on logprobs', async () => {
    await expect(check(503, '{"error":"overloaded"}')).rejects.toThrow(/answered the logprob question with HTTP 503: overloaded: the server is busy or failing: try again/);
  });
});
