import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateReply } from '../evaluate.js';
import { humanevalProgram } from '../extract/code.js';
import { getBenchmark } from '../registry.js';
import { HAVE_SHARED, NEEDS_SHARED, SHARED_DATASETS } from '../shared-data.test-util.js';
import type { EvalItem } from '../types.js';
import { createSandbox, type Sandbox } from './sandbox.js';

const HAVE_PYTHON = spawnSync('python3', ['--version']).status === 0;
const NEEDS_PYTHON = HAVE_PYTHON ? '' : ' [skipped: python3 not found]';
const ROOT = process.getuid?.() === 0;

/**
 * True while a process of the group still runs. Killed children are reparented to PID 1 and may
 * linger as zombies until it reaps them: dead, holding nothing but a pid, so they do not count.
 */
function groupAlive(pgid: number | null): boolean {
  if (pgid === null) return false;
  if (!existsSync('/proc/self/stat')) {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

describe.skipIf(!HAVE_PYTHON)(`sandbox: hostile programs are contained${NEEDS_PYTHON}`, () => {
  let sb: Sandbox;
  const escape = `/tmp/evalperf-sandbox-escape-${process.pid}`;
  beforeAll(async () => {
    sb = await createSandbox({ timeoutMs: 1500, concurrency: 2 });
  });
  afterAll(() => rmSync(escape, { force: true }));

  it('runs a plain program in a fresh folder with a minimal environment', async () => {
    const r = await sb.run('import os, json\nprint(json.dumps([os.getcwd() == os.environ["HOME"], sorted(os.environ)]))');
    expect(r.status).toBe('passed');
    const [cwdIsHome, env] = JSON.parse(r.stdout) as [boolean, string[]];
    expect(cwdIsHome).toBe(true);
    // Python itself may add LC_CTYPE (PEP 538); nothing of the caller's environment leaks in.
    expect(env.filter((k) => k !== 'LC_CTYPE')).toEqual(['HOME', 'LANG', 'PATH', 'TMPDIR']);
    expect(sb.info.python).toMatch(/python/);
    expect(sb.info.limits).toMatchObject({ timeoutMs: 1500, guard: true, maxProcesses: 8 });
  });

  it('a fork bomb is refused at the first fork, and no process survives', async () => {
    const r = await sb.run('import os\nwhile True:\n    os.fork()\n');
    expect(r.status).toBe('failed');
    expect(r.stderr).toContain('evalperf sandbox: os.fork is not allowed');
    expect(r.durationMs).toBeLessThan(1500);
    expect(groupAlive(r.pid)).toBe(false);
  });

  it('subprocess, os.system and ctypes are refused too', async () => {
    for (const prog of ['import subprocess\nsubprocess.run(["true"])', 'import os\nos.system("true")', 'import ctypes\nctypes.CDLL(None).fork()', 'import multiprocessing']) {
      const r = await sb.run(prog);
      expect(r.status, prog).toBe('failed');
      expect(r.stderr, prog).toMatch(/evalperf sandbox: .* is not allowed/);
    }
  });

  it('an infinite loop is killed at the timeout, with its process group', async () => {
    const r = await sb.run('while True:\n    pass\n');
    expect(r.status).toBe('timeout');
    expect(r.signal).toBe('SIGKILL');
    expect(r.durationMs).toBeGreaterThanOrEqual(1400);
    expect(r.durationMs).toBeLessThan(3000);
    expect(groupAlive(r.pid)).toBe(false);
  });

  it('a memory hog hits the address-space limit', async () => {
    const big = await sb.run('x = bytearray(4 * 1024**3)\n');
    expect(big.status).toBe('failed');
    expect(big.stderr).toContain('MemoryError');
    // Growing step by step: a small limit keeps the test fast on machines with slow page faults.
    const tight = await createSandbox({ timeoutMs: 5000, memoryMb: 128 });
    const small = await tight.run('x = []\nwhile True:\n    x.append(bytearray(10**7))\n');
    expect(small.status).toBe('failed');
    expect(small.stderr).toContain('MemoryError');
  });

  it('writes outside the folder fail, by open(), os.open and rename; inside it they work', async () => {
    for (const prog of [
      `open(${JSON.stringify(escape)}, 'w').write('x')`,
      `import os\nos.close(os.open(${JSON.stringify(escape)}, os.O_WRONLY | os.O_CREAT))`,
      `import os\nopen('f', 'w').write('x')\nos.rename('f', ${JSON.stringify(escape)})`,
      `import os\nos.chdir('/tmp')\nopen(${JSON.stringify(escape.split('/').pop())}, 'w').write('x')`,
    ]) {
      const r = await sb.run(prog);
      expect(r.status, prog).toBe('failed');
      expect(r.stderr, prog).toMatch(/outside the sandbox folder/);
    }
    expect(existsSync(escape)).toBe(false);
    const inside = await sb.run("import os, tempfile\nopen('out.txt', 'w').write('ok')\ntempfile.mkstemp()\nprint(open('out.txt').read())");
    expect(inside).toMatchObject({ status: 'passed', stdout: 'ok\n' });
  });

  it('output is capped; early exit() is a failure; sockets are refused', async () => {
    const loud = await sb.run("import sys\nsys.stdout.write('x' * 1_000_000)");
    expect(loud.status).toBe('passed');
    expect(loud.stdout.length).toBe(64 * 1024);
    expect(loud.truncated).toBe(true);
    const exit = await sb.run('import sys\nsys.exit(0)\nassert False');
    expect(exit).toMatchObject({ status: 'failed', exitCode: 3 });
    const net = await sb.run("import socket\nsocket.create_connection(('127.0.0.1', 80))");
    expect(net.stderr).toMatch(/evalperf sandbox: socket\.\S+ is not allowed/);
  });

  it('the machine stays usable: programs run normally afterwards, at most `concurrency` at once', async () => {
    const t0 = performance.now();
    const rs = await Promise.all([1, 2, 3, 4].map((k) => sb.run(`import time\ntime.sleep(0.3)\nprint(${k} * 2)`)));
    const took = performance.now() - t0;
    expect(rs.map((r) => [r.status, r.stdout])).toEqual([
      ['passed', '2\n'],
      ['passed', '4\n'],
      ['passed', '6\n'],
      ['passed', '8\n'],
    ]);
    // Two at a time (concurrency 2): two rounds of 0.3 s.
    expect(took).toBeGreaterThanOrEqual(600);
  });
});

// The OS limits alone (guard off): what holds if the audit hook were bypassed. RLIMIT_NPROC binds
// only a non-root user, so as root this needs the uid drop, which needs an interpreter nobody can
// start (the system python3 rather than one under /root).
describe.skipIf(!HAVE_PYTHON)(`sandbox: OS limits without the Python guard${NEEDS_PYTHON}`, () => {
  let os: Sandbox | null = null;
  let why = '';
  beforeAll(async () => {
    const candidate = await createSandbox({ timeoutMs: 1500, guard: false, maxProcesses: 8, ...(ROOT && existsSync('/usr/bin/python3') ? { python: '/usr/bin/python3' } : {}) });
    if (ROOT && candidate.info.runAs === null) why = 'running as root without a uid drop: RLIMIT_NPROC is not enforced';
    else os = candidate;
  });

  it('a bounded fork bomb stays under the process limit and dies with its group', async (ctx) => {
    if (!os) return ctx.skip(why);
    // Bounded by construction (200 forks at most) so the machine stays healthy even if no limit held.
    const r = await os.run(
      'import os, time\nn = 0\nfor i in range(200):\n    try:\n        pid = os.fork()\n    except OSError:\n        break\n    if pid == 0:\n        time.sleep(30)\n        os._exit(0)\n    n += 1\nprint(n, flush=True)\ntime.sleep(30)\n',
    );
    expect(r.status).toBe('timeout');
    const forks = Number(r.stdout.trim());
    expect(forks).toBeGreaterThanOrEqual(0);
    expect(forks).toBeLessThan(8);
    expect(groupAlive(r.pid)).toBe(false);
  });

  it('file size and memory limits hold through the shell ulimit path too', async () => {
    const viaShell = await createSandbox({ timeoutMs: 1500, guard: false, limiter: 'ulimit', fileSizeMb: 1, memoryMb: 256 });
    expect(viaShell.info.limiter).toBe('ulimit');
    const file = await viaShell.run("open('big', 'wb').write(b'x' * (4 * 1024 * 1024))");
    expect(file.status).toBe('failed');
    expect(file.stderr).toMatch(/File too large|Errno 27/);
    const mem = await viaShell.run('x = bytearray(512 * 1024**2)');
    expect(mem.status).toBe('failed');
    expect(mem.stderr).toContain('MemoryError');
  });
});

const ADD: EvalItem = {
  benchmark: 'humaneval',
  id: 'Toy/0',
  subset: 'test',
  categories: [],
  question: 'def add(a: int, b: int) -> int:\n    """Sum of a and b."""\n',
  gold: 'add',
  fewshot: [],
  code: { test: '\n\ndef check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n', entryPoint: 'add', canonical: '    return a + b\n' },
};

describe.skipIf(!HAVE_PYTHON)(`HumanEval scoring through the sandbox${NEEDS_PYTHON}`, () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await createSandbox({ timeoutMs: 3000 });
  });
  const he = getBenchmark('humaneval');
  const chat = { mode: 'generative' as const, shots: 0, api: 'chat' as const };

  it('a right chat reply passes, a wrong one fails, and the run is recorded', async () => {
    const req = he.request(ADD, chat);
    const good = await evaluateReply(he, ADD, chat, req, { text: '```python\ndef add(a: int, b: int) -> int:\n    return a + b\n```' }, { sandbox: sb });
    expect(good).toMatchObject({ score: 1, extracted: { rule: 'fenced-block' }, execution: { status: 'passed', exitCode: 0 } });
    const bad = await evaluateReply(he, ADD, chat, req, { text: '```python\ndef add(a, b):\n    return a - b\n```' }, { sandbox: sb });
    expect(bad).toMatchObject({ score: 0, execution: { status: 'failed', exitCode: 1 } });
    expect(bad.execution!.stderr).toContain('AssertionError');
  });

  it('refuses to score without a sandbox (the user has not opted in)', async () => {
    await expect(Promise.resolve(he.score({ answer: 'x', rule: 'raw-reply' }, ADD))).rejects.toThrow(/must opt in/);
  });

  it.skipIf(!HAVE_SHARED)(`canonical solutions of 5 real problems pass; a wrong one fails${NEEDS_SHARED}`, async () => {
    const rows = readFileSync(join(SHARED_DATASETS, 'humaneval/HumanEval.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    const pick = ['HumanEval/0', 'HumanEval/10', 'HumanEval/32', 'HumanEval/53', 'HumanEval/163'].map((id) => rows.find((r) => r.task_id === id)!);
    const results = await Promise.all(pick.map((p) => sb.run(humanevalProgram(p.prompt!, p.canonical_solution!, p.test!, p.entry_point!))));
    expect(results.map((r) => r.status)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
    const p0 = pick[0]!;
    const wrong = await sb.run(humanevalProgram(p0.prompt!, '    return False\n', p0.test!, p0.entry_point!));
    expect(wrong.status).toBe('failed');
  });
});
