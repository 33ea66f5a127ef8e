#!/usr/bin/env node
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import type { RunOptions } from '../config/run-plan.js';
import { TargetError } from '../client/probe.js';
import { EXIT_BAD_INPUT } from './run-command.js';
import { UsageError } from './usage-error.js';
import { TOOL_VERSION } from './version.js';

/**
 * The evalperf command line. Commands import their implementation lazily, so `--help` and
 * `serve` never load the engine (and the interactive UI, later, never loads for pipes).
 */
function runFlags(y: Argv) {
  return y
    .option('url', { type: 'string', describe: 'API base (http://host:8000/v1) or full endpoint; omit to use the built-in simulator' })
    .option('model', { type: 'string', describe: 'model name (default: first id of /v1/models)' })
    .option('api', { choices: ['chat', 'completions'] as const, describe: 'endpoint kind (default chat, or from --url)' })
    .option('parallel', { type: 'number', array: true, describe: 'closed loop: concurrent users (several values = a sweep); with --rate: cap on requests in flight' })
    .option('rate', { type: 'number', array: true, describe: 'open loop: arrivals per second (several values = a sweep)' })
    .option('arrival', { type: 'string', default: 'poisson', describe: 'open-loop arrivals: poisson | constant | gamma[:burstiness]' })
    .option('number', { type: 'number', array: true, describe: 'requests per step, exact (one value, or one per step); default 5 x parallel, min 100' })
    .option('duration', { type: 'string', describe: 'time per step (500ms, 30s, 10m); with --number, whichever comes first' })
    .option('warmup', { type: 'number', default: 0, describe: 'requests sent first and not measured' })
    .option('pause', { type: 'string', default: '0', describe: 'pause between sweep steps (e.g. 5s)' })
    .option('max-tokens', { type: 'number', default: 128, describe: 'max_tokens of each request' })
    .option('input-tokens', { type: 'number', default: 128, describe: 'synthetic prompt length in tokens (approximate for real tokenizers)' })
    .option('stream', { type: 'boolean', default: true, describe: 'stream responses (--no-stream for one JSON body)' })
    .option('temperature', { type: 'number', describe: 'sampling temperature' })
    .option('extra-body', { type: 'string', describe: 'JSON object merged into every request body' })
    .option('api-key', { type: 'string', describe: 'bearer token (default: $OPENAI_API_KEY); never written to any output' })
    .option('header', { type: 'string', array: true, describe: 'extra request header name:value (repeatable)' })
    .option('timeout', { type: 'string', default: '10m', describe: 'per-request deadline, reported as timeout' })
    .option('slo', { type: 'string', describe: 'goodput objectives, e.g. ttft<=500ms,tpot<=50ms,e2e<=20s' })
    .option('workers', { type: 'number', describe: 'load worker threads (default: cores - 1, at least 1)' })
    .option('seed', { type: 'number', default: 1, describe: 'seed for prompts and arrival schedules' })
    .option('out', { type: 'string', default: 'reports', describe: 'output folder; each run writes <out>/<time>-<model>/' })
    .option('tui', { type: 'boolean', default: true, describe: 'live dashboard on a terminal (--no-tui for plain progress lines)' })
    .option('json', { type: 'boolean', default: false, describe: 'print summary.json to stdout instead of the table' });
}

function serveFlags(y: Argv) {
  return y
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on' })
    .option('port', { type: 'number', default: 8000, describe: 'port (0 picks a free one)' })
    .option('model', { type: 'string', default: 'sim-llm', describe: 'model id served' })
    .option('prefill-ms-per-token', { type: 'number', default: 0.05, describe: 'prefill time per prompt token' })
    .option('itl-ms', { type: 'number', default: 10, describe: 'decode step time with one sequence running' })
    .option('itl-ms-per-seq', { type: 'number', default: 0.05, describe: 'extra decode step time per running sequence' })
    .option('max-num-seqs', { type: 'number', default: 256, describe: 'sequences decoded at once; more wait in a FIFO queue' })
    .option('default-max-tokens', { type: 'number', default: 128, describe: 'output length when a request sets no max_tokens' })
    .option('jitter', { type: 'number', default: 0, describe: 'relative random variation of each step, 0..1' })
    .option('seed', { type: 'number', default: 1, describe: 'seed for output lengths and jitter' });
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName('evalperf')
    .version(TOOL_VERSION)
    .strict()
    .command(
      'run',
      'drive an OpenAI-compatible endpoint (or the built-in simulator) and measure it',
      (y) => runFlags(y),
      async (a) => {
        const { runCommand } = await import('./run-command.js');
        exitCode = await runCommand(a as unknown as RunOptions);
      },
    )
    .command(
      'serve',
      'run the built-in simulated inference server on its own',
      (y) => serveFlags(y),
      async (a) => {
        const { serveCommand } = await import('./serve-command.js');
        exitCode = await serveCommand(a as unknown as Record<string, unknown>);
      },
    )
    .demandCommand(1, 'name a command: evalperf run, or evalperf serve')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    })
    .help();
  try {
    await parser.parseAsync();
  } catch (e) {
    const err = e as Error;
    const known = err instanceof UsageError || err instanceof TargetError;
    process.stderr.write(`evalperf: ${known ? err.message : (err.stack ?? err.message)}\n`);
    if (err instanceof UsageError) process.stderr.write(`(see evalperf ${argv[0] ?? ''} --help)\n`);
    return known ? EXIT_BAD_INPUT : 1;
  }
  return exitCode;
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`evalperf: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
