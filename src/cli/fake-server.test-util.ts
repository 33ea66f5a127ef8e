import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake answers to one streamed request: content chunks, and usage unless null. */
export interface FakeReply {
  /** Streamed as delta.reasoning_content before the content, when given. */
  reasoning?: string[];
  parts: string[];
  usage: { prompt: number; completion: number } | null;
}

export interface FakeServer {
  url: string;
  /** Bodies of the streamed requests, in arrival order (the check request is not streamed). */
  bodies: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * A tiny OpenAI-compatible server on 127.0.0.1 for end-to-end tests that need to see what the
 * client sent or to play a server the simulator does not: /v1/models, a JSON answer to the
 * non-streamed check request, and `reply(body, n, headers)` streamed as chat chunks.
 */
export async function startFake(reply: (body: Record<string, unknown>, n: number, headers: IncomingHttpHeaders) => FakeReply): Promise<FakeServer> {
  const bodies: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    if (req.method === 'GET') return res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake', object: 'model' }] }));
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      if (body.stream !== true) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] }));
      }
      const r = reply(body, bodies.length, req.headers);
      bodies.push(body);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (o: object) => res.write(`data: ${JSON.stringify(o)}\n\n`);
      for (const reasoning_content of r.reasoning ?? []) chunk({ choices: [{ index: 0, delta: { reasoning_content }, finish_reason: null }] });
      r.parts.forEach((content, k) => chunk({ choices: [{ index: 0, delta: { content }, finish_reason: k === r.parts.length - 1 ? 'stop' : null }] }));
      if (r.usage) chunk({ choices: [], usage: { prompt_tokens: r.usage.prompt, completion_tokens: r.usage.completion, total_tokens: r.usage.prompt + r.usage.completion } });
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    bodies,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
