#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { TargetError } from '../client/check-request.js';
import { arenaCommandSpec } from './arena-flags.js';
import type { CommandSpec } from './command-spec.js';
import { compareCommandSpec } from './compare-flags.js';
import { evalCommandSpec } from './eval-flags.js';
import { reportCommandSpec } from './report-flags.js';
import { runCommandSpec } from './run-flags.js';
import { serveCommandSpec } from './serve-flags.js';
import { EXIT_BAD_INPUT } from './output.js';
import { UsageError } from './usage-error.js';
import { TOOL_VERSION } from './version.js';

/** Every command, in the order `--help` lists them. Add a command here and nowhere else. */
const COMMANDS: readonly CommandSpec[] = [runCommandSpec, evalCommandSpec, arenaCommandSpec, reportCommandSpec, compareCommandSpec, serveCommandSpec];

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  let parser = yargs(argv).scriptName('evalperf').version(TOOL_VERSION).strict();
  for (const c of COMMANDS) {
    parser = parser.command(c.name, c.describe, (y) => c.builder(y), async (a) => {
      exitCode = await c.handler(a as Record<string, unknown>);
    });
  }
  parser = parser
    .demandCommand(1, `name a command: ${COMMANDS.map((c) => `evalperf ${c.name}`).join(', ')}`)
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      // yargs wraps a parse error (a bad --scenario file among them) in a YError: bad input too.
      throw err && err.name !== 'YError' ? err : new UsageError(msg);
    })
    .help();
  try {
    await parser.parseAsync();
  } catch (e) {
    const err = e as Error;
    const known = err instanceof UsageError || err instanceof TargetError;
    process.stderr.write(`evalperf: ${known ? err.message : (err.stack ?? err.message)}\n`);
    if (err instanceof UsageError) process.stderr.write(`(see evalperf ${argv[0] && !argv[0].startsWith('-') ? `${argv[0]} ` : ''}--help)\n`);
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
