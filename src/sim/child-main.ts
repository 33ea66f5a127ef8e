/**
 * Entry of the simulator child process started by spawnSimulator().
 *
 *   node child-main.js '<SimOptions JSON>'
 *
 * Writes exactly one line to stdout: {"ready":true,"url":"...","port":N} once listening, or
 * {"ready":false,"error":"..."} and exit code 1. Exits on SIGTERM/SIGINT, on IPC disconnect, and
 * when stdin ends (the parent keeps stdin open as a pipe, so the child never outlives it; do not
 * start it with stdin at /dev/null). Logs go to stderr only.
 */
import { resolveSimOptions } from './options.js';
import { startSimServer, type SimServer } from './server.js';

function line(obj: unknown): void {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

async function main(): Promise<void> {
  let server: SimServer;
  try {
    const raw: unknown = process.argv[2] === undefined ? {} : JSON.parse(process.argv[2]);
    server = await startSimServer(resolveSimOptions(raw));
  } catch (err) {
    line({ ready: false, error: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }

  let exiting = false;
  const shutdown = (): void => {
    if (exiting) return;
    exiting = true;
    setTimeout(() => process.exit(0), 2000).unref();
    server.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  if (process.channel) process.on('disconnect', shutdown);
  if (!process.stdin.isTTY) {
    process.stdin.on('end', shutdown);
    process.stdin.on('close', shutdown);
    process.stdin.on('error', shutdown);
    process.stdin.resume();
  }
  line({ ready: true, url: server.url, port: server.port });
}

void main();
