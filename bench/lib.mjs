// Shared helpers for evalperf's benchmarks: start the simulator, run the CLI, read its files.
// Benchmarks import the built CLI from dist/ (npm run bench builds first) and only ever talk to
// 127.0.0.1, with bounded request counts.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

/** `evalperf serve` on a free port; resolves with its base URL. */
export async function startSim(flags) {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...flags], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`simulator exited (${code}): ${err}`)));
  });
  return {
    url,
    pid: child.pid,
    close: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM')))),
  };
}

/**
 * Runs `evalperf run` and returns its summary and run folder. `tty`: inside a pseudo-terminal
 * (util-linux `script`), so the live dashboard runs as it would for a person.
 */
export async function runEvalperf(args, { tty = false, timeoutMs = 600_000, threads = false } = {}) {
  const out = mkdtempSync(join(tmpdir(), 'evalperf-bench-'));
  const argv = ['run', ...args, '--out', out, ...(tty ? [] : ['--no-tui'])];
  const env = { ...process.env };
  delete env.CI;
  const [cmd, cmdArgs] = tty
    ? ['script', ['-qfec', [process.execPath, CLI, ...argv].map(shellQuote).join(' '), '/dev/null']]
    : [process.execPath, [CLI, ...argv]];
  let sampler = null;
  const code = await new Promise((resolve, reject) => {
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...env, TERM: 'xterm-256color', COLUMNS: '100', LINES: '45' } });
    if (threads) sampler = sampleThreads(child.pid);
    let err = '';
    child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`evalperf run timed out: ${err}`))), timeoutMs);
    child.on('exit', (c) => (clearTimeout(timer), c === 0 ? resolve(c) : reject(new Error(`evalperf run exited ${c}: ${err}`))));
  });
  const dir = join(out, readdirSync(out)[0]);
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  return { code, dir, summary, threads: sampler?.stop() ?? null, cleanup: () => rmSync(out, { recursive: true, force: true }) };
}

/**
 * CPU time and CPU wait of a process and its descendants, all threads summed, from Linux's
 * /proc/<pid>/task/<tid>/schedstat (time on a CPU, time runnable but waiting for one). The
 * wait is what a 2-core machine shared by the simulator, the client and anything else costs the
 * client: a timestamp taken late because the thread had no CPU. Sampled every 50 ms while the
 * process runs (a thread's last sample counts). null where /proc has no schedstat.
 */
export function sampleThreads(pid) {
  if (!existsSync(`/proc/${pid}/task/${pid}/schedstat`)) return { stop: () => null };
  const first = new Map();
  const last = new Map();
  const pids = (p) => {
    const out = [p];
    try {
      for (const t of readdirSync(`/proc/${p}/task`)) for (const c of readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(' ').filter(Boolean)) out.push(...pids(Number(c)));
    } catch {}
    return out;
  };
  const sample = () => {
    for (const p of pids(pid)) {
      let tids = [];
      try {
        tids = readdirSync(`/proc/${p}/task`);
      } catch {}
      for (const t of tids) {
        try {
          const [run, wait] = readFileSync(`/proc/${p}/task/${t}/schedstat`, 'utf8').split(' ').map(Number);
          const k = `${p}/${t}`;
          if (!first.has(k)) first.set(k, [run, wait]);
          last.set(k, [run, wait]);
        } catch {}
      }
    }
  };
  sample();
  const timer = setInterval(sample, 50);
  return {
    stop() {
      clearInterval(timer);
      sample();
      let cpu = 0;
      let wait = 0;
      for (const [k, [run, w]] of last) {
        const [run0, w0] = first.get(k);
        cpu += run - run0;
        wait += w - w0;
      }
      return { cpu_ms: Math.round(cpu / 1e6), cpu_wait_ms: Math.round(wait / 1e6) };
    },
  };
}

const shellQuote = (s) => (/^[\w./:=,<>-]+$/.test(s) ? s : `'${String(s).replace(/'/g, `'\\''`)}'`);

export function readJsonl(path) {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** Percentile of a sample array (benchmarks only: their samples are bounded). */
export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export const round = (x, d = 3) => (x === null || x === undefined ? null : Math.round(x * 10 ** d) / 10 ** d);
