import { describeSim, type SimOptions } from '../sim/options.js';
import { startSimServer } from '../sim/server.js';
import { UsageError } from './usage-error.js';

function check(name: string, v: unknown, ok: (n: number) => boolean, want: string): number {
  const n = Number(v);
  if (typeof v !== 'number' || !ok(n)) throw new UsageError(`--${name} ${String(v)}: must be ${want}`);
  return n;
}

const nonNegative = (n: number) => Number.isFinite(n) && n >= 0;
const wholePositive = (n: number) => Number.isInteger(n) && n >= 1;

/** `evalperf serve`: the simulator in the foreground until Ctrl-C / SIGTERM. */
export async function serveCommand(a: Record<string, unknown>): Promise<number> {
  const opts: SimOptions = {
    host: String(a.host),
    port: check('port', a.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'a port number from 0 to 65535'),
    model: String(a.model),
    prefillMsPerToken: check('prefill-ms-per-token', a.prefillMsPerToken, nonNegative, 'a number >= 0'),
    itlMs: check('itl-ms', a.itlMs, nonNegative, 'a number >= 0'),
    itlMsPerSeq: check('itl-ms-per-seq', a.itlMsPerSeq, nonNegative, 'a number >= 0'),
    maxNumSeqs: check('max-num-seqs', a.maxNumSeqs, wholePositive, 'a whole number >= 1'),
    defaultMaxTokens: check('default-max-tokens', a.defaultMaxTokens, wholePositive, 'a whole number >= 1'),
    jitter: check('jitter', a.jitter, (n) => n >= 0 && n <= 1, 'a number from 0 to 1'),
    seed: check('seed', a.seed, Number.isInteger, 'a whole number'),
    strictModel: false,
  };
  let server: Awaited<ReturnType<typeof startSimServer>>;
  try {
    server = await startSimServer(opts);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${opts.port} on ${opts.host} is in use: pick another with --port (0 picks a free one)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on ${opts.host}: give a local address with --host`);
    throw e;
  }
  process.stderr.write(`evalperf simulator listening on ${server.url} (model ${opts.model}; ${describeSim(opts)}); Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}
