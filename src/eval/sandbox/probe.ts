/**
 * What isolation this machine offers the sandbox, found once: the interpreter (resolved to its
 * real path, so a pyenv shim does not need the user's environment), prlimit or the shell's
 * ulimit, and whether programs can run as nobody. The result goes into reports, so a score
 * says how its code was run.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface SandboxInfo {
  python: string;
  pythonVersion: string;
  limiter: 'prlimit' | 'ulimit';
  prlimit: string | null;
  shell: string;
  /** uid/gid programs run as, or null for the current user. */
  runAs: number | null;
  /** What the isolation cannot do here (root without a uid drop, ...). */
  notes: string[];
  limits?: SandboxLimits;
}

/** What one program may use; sandbox.ts enforces it, SandboxInfo reports it. */
export interface SandboxLimits {
  timeoutMs: number;
  memoryBytes: number;
  fileBytes: number;
  maxProcesses: number;
  outputBytes: number;
  guard: boolean;
}

export async function findExecutable(name: string, path = process.env.PATH ?? ''): Promise<string | null> {
  if (name.includes('/')) return (await executable(name)) ? name : null;
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const p = join(dir, name);
    if (await executable(p)) return p;
  }
  return null;
}

async function executable(p: string): Promise<boolean> {
  try {
    await access(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function capture(cmd: string, args: string[], opts: { uid?: number; env?: NodeJS.ProcessEnv }): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(cmd, args, {
      cwd: tmpdir(),
      stdio: ['ignore', 'pipe', 'ignore'],
      env: opts.env ?? process.env,
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', () => {
      clearTimeout(timer);
      resolve({ code: null, out });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

export async function probeSandbox(opts: { python?: string | undefined; dropPrivileges: boolean }): Promise<SandboxInfo> {
  const given = opts.python ?? 'python3';
  const found = await findExecutable(given);
  if (found === null) throw new Error(`${given} not found on PATH: HumanEval runs programs with Python 3 (install python3 or pass its path)`);
  const ver = await capture(found, ['-I', '-c', 'import sys; print(sys.executable); print(sys.version.split()[0]); print(sys.version_info[0])'], {});
  const [exe, version, major] = ver.out.trim().split('\n');
  if (ver.code !== 0 || !exe || major !== '3') throw new Error(`${found} is not a working Python 3 interpreter`);
  const prlimit = await findExecutable('prlimit');
  const info: SandboxInfo = {
    python: exe,
    pythonVersion: version ?? '?',
    limiter: prlimit ? 'prlimit' : 'ulimit',
    prlimit,
    shell: '/bin/sh',
    runAs: null,
    notes: [],
  };
  if (process.getuid?.() === 0) {
    if (opts.dropPrivileges) {
      const asNobody = await capture(exe, ['-I', '-c', 'pass'], { uid: 65534, env: { PATH: '/usr/bin:/bin' } });
      if (asNobody.code === 0) info.runAs = 65534;
      else info.notes.push(`running as root: ${exe} cannot be started as nobody (uid 65534), so programs run as root`);
    }
    if (info.runAs === null) {
      info.notes.push('as root RLIMIT_NPROC is not enforced: the audit-hook guard, the timeout and the process-group kill contain forks');
    }
  }
  return info;
}
