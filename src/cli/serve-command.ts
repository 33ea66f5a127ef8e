import { parseFaults, type FaultRate } from '../sim/faults.js';
import { describeSim, resolveSimOptions, SimOptionError, type SimOptions } from '../sim/options.js';
import { startSimServer } from '../sim/server.js';
import { UsageError } from './usage-error.js';

const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Simulator flags as yargs hands them over -> validated SimOptions, errors named by flag. */
function simOptionsFromFlags(a: Record<string, unknown>): SimOptions {
  try {
    return resolveSimOptions({
      host: a.host,
      port: a.port,
      model: a.model,
      prefillMsPerToken: a.prefillMsPerToken,
      itlMs: a.itlMs,
      itlMsPerSeq: a.itlMsPerSeq,
      maxNumSeqs: a.maxNumSeqs,
      defaultMaxTokens: a.defaultMaxTokens,
      jitter: a.jitter,
      seed: a.seed,
      requestLog: a.requestLog ?? null,
      faults: typeof a.faults === 'string' ? parseFaultsFlag(a.faults) : [],
      closeAfterStream: a.closeAfterStream ?? false,
      timings: a.timings ?? false,
    });
  } catch (e) {
    if (e instanceof SimOptionError) throw new UsageError(`${flagName(e.key)} ${String(e.value)}: ${e.problem}`);
    throw e;
  }
}

function parseFaultsFlag(text: string): FaultRate[] {
  try {
    return parseFaults(text);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** `evalperf serve`: the simulator in the foreground until Ctrl-C / SIGTERM. */
export async function serveCommand(a: Record<string, unknown>): Promise<number> {
  const opts = simOptionsFromFlags(a);
  let server: Awaited<ReturnType<typeof startSimServer>>;
  try {
    server = await startSimServer(opts);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${opts.port} on ${opts.host} is in use: pick another with --port (0 picks a free one)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES') throw new UsageError(`cannot listen on ${opts.host}:${opts.port} (${code}): give a local address with --host and a free port with --port`);
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
