import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, requireBuild, tempDir } from '../cli/e2e.test-util.js';

/**
 * The dashboard in a real terminal: tmux runs `evalperf run` against the built-in simulator,
 * capture-pane reads the screen, send-keys presses q. Needs tmux (.ci/run installs it).
 */
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('skipping the tmux dashboard test: tmux is not installed (apt-get install tmux)');

const socket = `evalperf-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'run');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (ok()) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${screen()}`);
}

describe.skipIf(!hasTmux)('dashboard in a real terminal', () => {
  const out = tempDir('tmux');
  afterAll(() => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    out.remove();
  });

  it('shows live figures that change, and q ends the run cleanly with everything written', async () => {
    requireBuild();
    const exitFile = join(out.path, 'exit-code');
    // CI is unset inside the terminal: the dashboard is for a person at a terminal.
    const cmd = `env -u CI ${process.execPath} ${CLI} run --parallel 8 --number 100000 --max-tokens 40 --out ${out.path}/runs; echo $? > ${exitFile}; sleep 30`;
    tmux('new-session', '-d', '-s', 'run', '-x', '100', '-y', '45', cmd);

    await waitFor('live figures', () => /req\/s\s+\d+\.\d/.test(screen()) && /TTFT\s+\d/.test(screen()), 15_000);
    const first = screen();
    await sleep(1500);
    const second = screen();
    expect(first).toContain('closed loop · 8 parallel');
    expect(first).toMatch(/output tok\/s\s+\d/);
    expect(second).not.toEqual(first);
    const done = (s: string) => Number(/(\d+)\/100000/.exec(s)?.[1] ?? -1);
    expect(done(second)).toBeGreaterThan(done(first));

    tmux('send-keys', '-t', 'run', 'q');
    await waitFor('the run to exit', () => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '', 20_000);
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
    const after = screen();
    expect(after).toMatch(/result: closed loop, 8 parallel/);
    const runs = readdirSync(join(out.path, 'runs'));
    expect(runs).toHaveLength(1);
    const summary = JSON.parse(readFileSync(join(out.path, 'runs', runs[0]!, 'summary.json'), 'utf8')) as { stopped: string; steps: { requests: { failed: number; total: number } }[] };
    expect(summary.stopped).toBe('graceful');
    expect(summary.steps[0]!.requests.failed).toBe(0);
    expect(summary.steps[0]!.requests.total).toBeGreaterThan(0);
    // The terminal was given back: the cursor is visible again (Ink hides it while rendering).
    expect(tmux('display', '-p', '-t', 'run', '#{cursor_flag}').trim()).toBe('1');
  }, 60_000);
});
