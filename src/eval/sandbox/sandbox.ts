/**
 * Runs untrusted Python (HumanEval completions), one program per `python3 -I -B` process:
 *  - a fresh temporary folder as cwd, HOME and TMPDIR, removed afterwards;
 *  - a minimal environment (PATH, LANG, HOME, TMPDIR) and no stdin;
 *  - its own process group (spawned detached), killed as a whole with SIGKILL at the timeout
 *    (default 3 s) and again after exit, so no child outlives the run;
 *  - address-space, CPU, file-size, process-count and core limits through `prlimit` (util-linux)
 *    when present, else a `sh -c 'ulimit ...; exec ...'` prefix, and again from Python (guard.ts);
 *  - as root, the program runs as nobody (65534) when that user can start the interpreter:
 *    RLIMIT_NPROC is not enforced for root, and nobody cannot signal or write root's files;
 *  - the audit-hook guard (guard.ts) refusing processes, sockets and writes outside the folder;
 *  - stdout and stderr kept up to a cap each; the rest is drained and dropped.
 * The user must opt in before anything runs: see humaneval.ts.
 */
import { spawn } from 'node:child_process';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GUARD } from './guard.js';
import { findExecutable, probeSandbox, type SandboxInfo, type SandboxLimits } from './probe.js';

export interface SandboxOptions {
  /** Wall-clock limit per program; the whole process group is killed at it. Default 3000. */
  timeoutMs?: number;
  /** Address space (RLIMIT_AS). Default 1024 MiB. */
  memoryMb?: number;
  /** Largest file the program may write (RLIMIT_FSIZE). Default 16 MiB. */
  fileSizeMb?: number;
  /** RLIMIT_NPROC: enforced for non-root users (counting all of the user's processes) and for nobody. Default 8. */
  maxProcesses?: number;
  /** Bytes of stdout and of stderr kept. Default 64 KiB each. */
  outputBytes?: number;
  /** Programs running at once. Default: cores - 1, at least 1. */
  concurrency?: number;
  /** Interpreter; default the first `python3` on PATH, resolved to its real path. */
  python?: string;
  /** The audit-hook guard; only tests turn it off, to check the OS limits alone. Default true. */
  guard?: boolean;
  /** As root, run programs as nobody when possible. Default true. */
  dropPrivileges?: boolean;
  /** Force the shell's ulimit even where prlimit exists (tests of that path). */
  limiter?: 'prlimit' | 'ulimit';
}

export type SandboxStatus = 'passed' | 'failed' | 'timeout';

export interface SandboxResult {
  status: SandboxStatus;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  durationMs: number;
  stdout: string;
  stderr: string;
  /** True when stdout or stderr passed the cap. */
  truncated: boolean;
  /** The program's pid, which is also its process group id. */
  pid: number | null;
}

export interface Sandbox {
  info: SandboxInfo;
  run(program: string): Promise<SandboxResult>;
}

/**
 * Checks the interpreter and the isolation available once, then runs programs through a queue.
 * Rejects when no Python 3 can be started, with a message naming what was tried.
 */
export async function createSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const info = await probeSandbox({ python: opts.python, dropPrivileges: opts.dropPrivileges ?? true });
  if (opts.limiter === 'ulimit') info.limiter = 'ulimit';
  const limits = {
    timeoutMs: opts.timeoutMs ?? 3000,
    memoryBytes: (opts.memoryMb ?? 1024) * 1024 * 1024,
    fileBytes: (opts.fileSizeMb ?? 16) * 1024 * 1024,
    maxProcesses: opts.maxProcesses ?? 8,
    outputBytes: opts.outputBytes ?? 64 * 1024,
    guard: opts.guard ?? true,
  };
  info.limits = { ...limits };
  const concurrency = Math.max(1, opts.concurrency ?? availableParallelism() - 1);
  let active = 0;
  const waiting: (() => void)[] = [];
  const run = async (program: string): Promise<SandboxResult> => {
    // A finishing run hands its slot straight to the next waiter, so the limit is never exceeded.
    if (active < concurrency) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await runOnce(program, info, limits);
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
  return { info, run };
}

function command(info: SandboxInfo, l: SandboxLimits): { cmd: string; args: string[] } {
  const cpu = Math.ceil(l.timeoutMs / 1000) + 1;
  const py = [info.python, '-I', '-B'];
  const pyArgs = l.guard ? [...py, '-c', GUARD, String(l.memoryBytes), String(cpu), String(l.fileBytes), String(l.maxProcesses)] : [...py, 'main.py'];
  if (info.limiter === 'prlimit') {
    const lim = [`--as=${l.memoryBytes}`, `--cpu=${cpu}`, `--fsize=${l.fileBytes}`, `--nproc=${l.maxProcesses}`, '--core=0'];
    return { cmd: info.prlimit!, args: [...lim, '--', ...pyArgs] };
  }
  // dash spells the process limit -p, bash -u; POSIX sh only promises -f (512-byte blocks).
  const script =
    `ulimit -v ${Math.floor(l.memoryBytes / 1024)} 2>/dev/null; ulimit -t ${cpu} 2>/dev/null; ` +
    `ulimit -f ${Math.ceil(l.fileBytes / 512)}; ulimit -c 0 2>/dev/null; ` +
    `ulimit -u ${l.maxProcesses} 2>/dev/null || ulimit -p ${l.maxProcesses} 2>/dev/null; exec "$@"`;
  return { cmd: info.shell, args: ['-c', script, 'sandbox', ...pyArgs] };
}

async function runOnce(program: string, info: SandboxInfo, l: SandboxLimits): Promise<SandboxResult> {
  const dir = await mkdtemp(join(tmpdir(), 'evalperf-sandbox-'));
  try {
    await writeFile(join(dir, 'main.py'), program);
    if (info.runAs !== null) await chown(dir, info.runAs, info.runAs);
    const { cmd, args } = command(info, l);
    return await execute(cmd, args, dir, info, l);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function execute(cmd: string, args: string[], dir: string, info: SandboxInfo, l: SandboxLimits): Promise<SandboxResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(cmd, args, {
      cwd: dir,
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', HOME: dir, TMPDIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...(info.runAs !== null ? { uid: info.runAs, gid: info.runAs } : {}),
    });
    const out = capped(l.outputBytes);
    const err = capped(l.outputBytes);
    child.stdout.on('data', out.push);
    child.stderr.on('data', err.push);
    let timedOut = false;
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, l.timeoutMs);
    let done = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null, extra = ''): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // Children that daemonised or ignored the parent's exit die with the group.
      killGroup();
      const status: SandboxStatus = timedOut ? 'timeout' : exitCode === 0 ? 'passed' : 'failed';
      resolve({
        status,
        exitCode,
        signal,
        durationMs: performance.now() - started,
        stdout: out.text(),
        stderr: err.text() + extra,
        truncated: out.truncated() || err.truncated(),
        pid: child.pid ?? null,
      });
    };
    child.on('error', (e) => finish(null, null, `evalperf sandbox: cannot start ${cmd}: ${e.message}\n`));
    // A child that inherited the pipes would hold 'close' back until the timeout: kill the group
    // as soon as the program itself exits.
    child.on('exit', killGroup);
    child.on('close', (code, signal) => finish(code, signal));
  });
}

function capped(max: number): { push: (b: Buffer) => void; text: () => string; truncated: () => boolean } {
  const parts: Buffer[] = [];
  let size = 0;
  let over = false;
  return {
    push: (b: Buffer) => {
      if (size >= max) {
        over = true;
        return;
      }
      const take = b.subarray(0, max - size);
      if (take.length < b.length) over = true;
      parts.push(take);
      size += take.length;
    },
    text: () => Buffer.concat(parts).toString('utf8'),
    truncated: () => over,
  };
}

/** One program, limits and all, without keeping a sandbox around (tests, one-off checks). */
export async function runPython(program: string, opts: SandboxOptions = {}): Promise<SandboxResult> {
  return (await createSandbox({ ...opts, concurrency: 1 })).run(program);
}

export { findExecutable, probeSandbox };
export type { SandboxInfo };
