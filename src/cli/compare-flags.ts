import type { Argv } from 'yargs';
import type { CommandSpec } from './command-spec.js';

export interface CompareOptions {
  runDirs: string[];
  html?: string;
}

export function compareFlags(y: Argv) {
  return y
    .positional('run-dirs', { type: 'string', array: true, demandOption: true, describe: 'two or more folders that evalperf run wrote; the first is the baseline' })
    .option('html', { type: 'string', describe: 'where to write the HTML page (default: reports/compare-<time>.html)' });
}

export const compareCommandSpec: CommandSpec = {
  name: 'compare <run-dirs..>',
  describe: 'compare runs side by side, matched by load level: differences and which is better',
  builder: compareFlags,
  async handler(args) {
    const { compareCommand } = await import('./compare-command.js');
    return compareCommand(args as unknown as CompareOptions);
  },
};
