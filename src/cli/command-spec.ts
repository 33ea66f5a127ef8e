import type { Argv } from 'yargs';

/**
 * One `evalperf <name>` command. The handler imports its implementation lazily, so `--help`
 * and light commands never load the engine, and it returns the process exit code.
 */
export interface CommandSpec {
  name: string;
  describe: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  builder(y: Argv): Argv<any>;
  handler(args: Record<string, unknown>): Promise<number>;
}
