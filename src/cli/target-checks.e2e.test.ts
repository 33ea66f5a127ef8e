import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, runDir, tempDir } from './e2e.test-util.js';

/**
 * A target that is down or wrong is one clear line and exit 2 within seconds, before any load:
 * scripted servers on 127.0.0.1 play each wrong target.
 */
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A tiny OpenAI-compatible API: lists model m and streams three tokens. */
const openAi: Handler = (req, res) => {
  if (req.method === 'GET') return res.end(JSON.stringify({ data: [{ id: 'm' }] }));
  let body = '';
  req.on('data', (d: Buffer) => (body += d.toString()));
  req.on('end', () => {
    if (!(JSON.parse(body) as { stream?: boolean }).stream) {
      res.setHeader('content-type', 'application/json');
      return res.end('{"choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}');
    }
    res.setHeader('content-type', 'text/event-stream');
    for (const t of ['a', 'b', 'c']) res.write(`data: {"choices":[{"index":0,"delta":{"content":"${t}"}}]}\n\n`);
    res.end('data: {"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":3,"total_tokens":4}}\n\ndata: [DONE]\n\n');
  });
};

async function serve(handler: Handler, tls?: { key: string; cert: string }): Promise<{ url: string; close(): void }> {
  const server = tls ? createHttps(tls, handler) : createHttp(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/v1`, close: () => (server.closeAllConnections(), server.close()) };
}

describe('a wrong target is refused before any load', () => {
  const out = tempDir('targets');
  afterAll(() => out.remove());

  it.each<[string, Handler, string[], RegExp]>([
    ['a server that wants credentials', (_q, s) => ((s.statusCode = 401), s.end('{"error":{"message":"missing key"}}')), [], /answered HTTP 401: the server wants credentials; pass --api-key or set OPENAI_API_KEY/],
    ['an HTML page', (_q, s) => (s.setHeader('content-type', 'text/html'), s.end('<html><body>Welcome to nginx</body></html>')), [], /text\/html that is not JSON: check that --url is the API base/],
    ['a wrong path, even with --model given', (q, s) => ((s.statusCode = 404), q.resume(), s.end('Not Found')), ['--model', 'm'], /chat endpoint \/v1\/chat\/completions\) answered HTTP 404: HTTP 404: Not Found; check --url/],
    [
      'an unknown model',
      (q, s) => {
        if (q.method === 'GET') return s.end('{"data":[{"id":"m"}]}');
        s.statusCode = 404;
        q.resume();
        s.end('{"object":"error","message":"The model `nope` does not exist.","type":"NotFoundError","code":404}');
      },
      ['--model', 'nope'],
      /answered HTTP 404: HTTP 404: The model `nope` does not exist\./,
    ],
    [
      'a request the server refuses',
      (q, s) => {
        if (q.method === 'GET') return s.end('{"data":[{"id":"m"}]}');
        s.statusCode = 400;
        q.resume();
        s.end('{"object":"error","message":"top_k must be > 0","code":400}');
      },
      ['--extra-body', '{"top_k":-3}'],
      /refused the request: HTTP 400: top_k must be > 0; check --model, --extra-body/,
    ],
  ])('%s', async (_name, handler, extra, message) => {
    const target = await serve(handler);
    try {
      const r = await runCli(['run', '--url', target.url, '--parallel', '2', '--number', '4', '--out', join(out.path, 'x'), ...extra], { timeoutMs: 15_000 });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.ms).toBeLessThan(5000);
    } finally {
      target.close();
    }
  });

  const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
  it.skipIf(!hasOpenssl)('an untrusted TLS certificate needs an explicit --insecure, which run.json records', async () => {
    const keyFile = join(out.path, 'key.pem');
    const certFile = join(out.path, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
    const target = await serve(openAi, { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') });
    try {
      const refused = await runCli(['run', '--url', target.url, '--parallel', '2', '--number', '4', '--out', join(out.path, 'tls-no')], { timeoutMs: 15_000 });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/its TLS certificate is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\): pass --insecure only if you trust this server/);
      const dir = join(out.path, 'tls-yes');
      const ok = await runCli(['run', '--url', target.url, '--parallel', '2', '--number', '4', '--insecure', '--json', '--out', dir], { timeoutMs: 15_000 });
      expect(ok.code, ok.stderr).toBe(0);
      expect((JSON.parse(ok.stdout) as { steps: { requests: { succeeded: number } }[] }).steps[0]!.requests.succeeded).toBe(4);
      expect(JSON.parse(readFileSync(join(runDir(dir), 'run.json'), 'utf8')).tls_verification).toBe('off (--insecure)');
    } finally {
      target.close();
    }
  });
});
