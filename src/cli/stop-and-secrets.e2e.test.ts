import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, readJsonl, requireBuild, runCli, runDir, startServe, tempDir } from './e2e.test-util.js';

/**
 * Stopping at awkward moments and keeping secrets out of outputs, each against a small scripted
 * server on 127.0.0.1 (or the simulator).
 */
async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` };
}

/** Starts `evalperf run`, sends SIGINT once stderr matches `when`, and returns how it ended. */
function interruptWhen(args: string[], when: RegExp): Promise<{ code: number | null; stderr: string; afterSignalMs: number }> {
  requireBuild();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'run', ...args, '--no-tui'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let signalledAt = 0;
    const kill = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`no exit after SIGINT:\n${stderr}`))), 30_000);
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!signalledAt && when.test(stderr)) {
        signalledAt = performance.now();
        child.kill('SIGINT');
      }
    });
    child.on('exit', (code) => {
      clearTimeout(kill);
      resolve({ code, stderr, afterSignalMs: performance.now() - signalledAt });
    });
  });
}

describe('stopping', () => {
  const out = tempDir('stop');
  afterAll(() => out.remove());

  it('a stop while sockets are still opening ends the run at once', async () => {
    // Answers the probe's GET /v1/models and the check request, then never answers a GET again:
    // preconnect hangs.
    let gets = 0;
    const { server, url } = await listen((req, res) => {
      if (req.method === 'POST') return req.resume().on('end', () => res.end('{"choices":[{"message":{"content":"x"}}]}'));
      if (gets++ === 0) res.end('{"data":[{"id":"m"}]}');
    });
    try {
      const r = await interruptWhen(['--url', url, '--parallel', '4', '--number', '4', '--out', join(out.path, 'preconnect')], /opening 4 connections/);
      expect(r.code).toBe(0);
      expect(r.afterSignalMs).toBeLessThan(3000);
      expect(r.stderr).toMatch(/stopped while opening connections/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('a stop during the pause between sweep steps ends the run at once, with the finished step written', async () => {
    const sim = await startServe(['--itl-ms', '2']);
    try {
      const dir = join(out.path, 'pause');
      const r = await interruptWhen(['--url', sim.url, '--parallel', '1', '2', '--number', '2', '--max-tokens', '4', '--pause', '30s', '--out', dir], /pausing 30 s before step 2\/2/);
      expect(r.code).toBe(0);
      expect(r.afterSignalMs).toBeLessThan(3000);
      const summary = JSON.parse(readFileSync(join(runDir(dir), 'summary.json'), 'utf8')) as { stopped: string; steps: { requests: { total: number } }[] };
      expect(summary.stopped).toBe('graceful');
      expect(summary.steps.map((s) => s.requests.total)).toEqual([2]);
    } finally {
      await sim.close();
    }
  });
});

describe('secrets never reach an output', () => {
  const out = tempDir('secrets');
  let server: Server;
  let url: string;
  const key = 'sk-e2e-never-print-this-4242';
  beforeAll(async () => {
    // A server that echoes the caller's credentials in its error body.
    ({ server, url } = await listen((req, res) => {
      if (req.method === 'GET') return res.end('{"data":[{"id":"m"}]}');
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `rejected auth=${req.headers.authorization} via ${req.url}` } }));
    }));
  });
  afterAll(() => {
    server.close();
    out.remove();
  });

  it('not the API key echoed by the server, nor a key in the URL query', async () => {
    const r = await runCli(['run', '--url', `${url}?api_key=QSECRET-URL-1234`, '--api-key', key, '--parallel', '2', '--number', '4', '--out', out.path, '--no-tui']);
    expect(r.code).toBe(1);
    const dir = runDir(out.path);
    const everything = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n') + r.stdout + r.stderr;
    expect(everything).not.toContain(key);
    expect(everything).not.toContain('QSECRET-URL-1234');
    const lines = readJsonl<{ error: string }>(join(dir, 'requests.jsonl'));
    expect(lines[0]!.error).toMatch(/rejected auth=\*\*\*/);
    expect(everything).toContain('api_key=***');
  });

  it('not a mistyped --header value in the error', async () => {
    const r = await runCli(['run', '--url', url, '--header', `Authorization Bearer ${key}`], { timeoutMs: 15_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--header "Authorization"…: expected name:value/);
    expect(r.stderr).not.toContain(key);
  });
});
