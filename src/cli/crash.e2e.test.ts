import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, requireBuild, runCli, startServe, tempDir } from './e2e.test-util.js';

/**
 * A run killed with SIGKILL mid-flight: requests.jsonl must be valid JSONL up to its last line
 * (each batch of lines is written whole) and `evalperf report` must rebuild the summary from it.
 */
describe('crash', () => {
  const out = tempDir('crash');
  afterAll(() => out.remove());

  it('after kill -9, requests.jsonl is whole lines and evalperf report rebuilds the summary from it', async () => {
    requireBuild();
    const sim = await startServe(['--itl-ms', '1']);
    try {
      const child = spawn(process.execPath, [CLI, 'run', '--url', sim.url, '--parallel', '8', '--number', '1000000', '--max-tokens', '4', '--no-tui', '--out', out.path], { stdio: 'ignore' });
      const file = () => {
        const dirs = existsSync(out.path) ? readdirSync(out.path) : [];
        return dirs.length === 1 ? join(out.path, dirs[0]!, 'requests.jsonl') : null;
      };
      const deadline = Date.now() + 20_000;
      // Wait for a few hundred records, then kill without warning.
      while (Date.now() < deadline) {
        const f = file();
        if (f && existsSync(f) && readFileSync(f, 'utf8').split('\n').length > 300) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const path = file()!;
      const text = readFileSync(path, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.split('\n').filter(Boolean);
      expect(lines.length).toBeGreaterThan(300);
      for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
      const dir = join(path, '..');
      expect(existsSync(join(dir, 'summary.json'))).toBe(false);

      const r = await runCli(['report', dir, '--json'], { timeoutMs: 30_000 });
      expect(r.code, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout) as { rebuilt_from: string; steps: { requests: { total: number; succeeded: number } }[] };
      expect(summary.rebuilt_from).toBe('requests.jsonl');
      expect(summary.steps[0]!.requests.total).toBe(lines.length);
      expect(existsSync(join(dir, 'summary.json'))).toBe(true);
    } finally {
      await sim.close();
    }
  });
});
