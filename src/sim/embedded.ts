import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveSimOptions, type SimOptions } from './options.js';

export interface EmbeddedSimulator {
  /** Base URL, e.g. http://127.0.0.1:PORT/v1 */
  url: string;
  port: number;
  pid: number;
  /** SIGTERM, then SIGKILL after 3 s; resolves when the child has exited. */
  close(): Promise<void>;
}

/**
 * Path of the compiled child entry: child-main.js next to this module. When this module runs from
 * source (src/sim/embedded.ts, e.g. under vitest) it falls back to dist/sim/child-main.js.
 */
export function simChildEntry(): string {
  const here = fileURLToPath(import.meta.url);
  const sibling = join(dirname(here), 'child-main.js');
  if (existsSync(sibling)) return sibling;
  const srcTail = `${sep}src${sep}sim${sep}embedded.ts`;
  if (here.endsWith(srcTail)) {
    const built = join(here.slice(0, -srcTail.length), 'dist', 'sim', 'child-main.js');
    if (existsSync(built)) return built;
    throw new Error(`simulator child entry not found at ${sibling} or ${built}: run \`npm run build\` first`);
  }
  throw new Error(`simulator child entry not found at ${sibling}: run \`npm run build\` first`);
}

/**
 * Start the simulator in a child process (Node running child-main.js) and wait for it to listen.
 * The child's stdin is a pipe held by this process: if this process dies, the child exits too.
 * The child handle is unref'd, so a forgotten close() does not keep this process alive.
 */
export async function spawnSimulator(opts: SimOptions, timeoutMs = 10000): Promise<EmbeddedSimulator> {
  const resolved = resolveSimOptions(opts); // throws on a bad option before spawning anything
  const entry = simChildEntry();
  // Its own process group: a Ctrl-C at the terminal goes to the foreground group, and the run
  // must keep serving its in-flight requests while it stops gracefully. The stdin pipe still ends
  // the child when this process dies.
  const child = spawn(process.execPath, [entry, JSON.stringify(resolved)], { stdio: ['pipe', 'pipe', 'inherit'], detached: true });
  let exited = child.exitCode !== null || child.signalCode !== null;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  child.stdin?.on('error', () => {}); // EPIPE if the child dies first

  const ready = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    let buf = '';
    let settled = false;
    const finish = (err: Error | null, value?: { url: string; port: number }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (err) {
        if (!exited) child.kill('SIGKILL');
        reject(err);
      } else resolve(value as { url: string; port: number });
    };
    const onData = (chunk: Buffer): void => {
      buf += chunk.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const first = buf.slice(0, nl).trim();
      let msg: { ready?: unknown; url?: unknown; port?: unknown; error?: unknown };
      try {
        msg = JSON.parse(first) as typeof msg;
      } catch {
        return finish(new Error(`simulator printed an unexpected line instead of its ready line: ${first.slice(0, 200)}`));
      }
      if (msg.ready === true && typeof msg.url === 'string' && typeof msg.port === 'number') {
        return finish(null, { url: msg.url, port: msg.port });
      }
      finish(new Error(`simulator failed to start: ${typeof msg.error === 'string' ? msg.error : first}`));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      finish(new Error(`simulator exited before it was ready (${signal ? `signal ${signal}` : `code ${code}`})`));
    const onError = (err: Error): void => finish(new Error(`cannot start simulator process: ${err.message}`));
    const timer = setTimeout(
      () => finish(new Error(`simulator did not become ready within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });

  // Keep draining stdout; let this process exit even if close() is never called.
  child.stdout?.resume();
  const unrefAll = (): void => {
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
  };
  unrefAll();
  const killOnExit = (): void => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  let closing: Promise<void> | undefined;
  return {
    url: ready.url,
    port: ready.port,
    pid: child.pid as number,
    close: () => {
      closing ??= (async () => {
        process.off('exit', killOnExit);
        if (exited) return;
        child.ref();
        child.kill('SIGTERM');
        const killer = setTimeout(() => {
          if (!exited) child.kill('SIGKILL');
        }, 3000);
        await exitPromise;
        clearTimeout(killer);
      })();
      return closing;
    },
  };
}
