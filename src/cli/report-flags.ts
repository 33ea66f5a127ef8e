import type { Argv } from 'yargs';
import type { CommandSpec } from './command-spec.js';

export interface ReportOptions {
  runDir: string;
  html?: string;
  csv?: string;
  json: boolean;
}

export function reportFlags(y: Argv) {
  return y
    .positional('run-dir', { type: 'string', demandOption: true, describe: 'a folder that evalperf run wrote (reports/<time>-<model>/)' })
    .option('html', { type: 'string', describe: 'write the HTML report here instead of <run-dir>/report.html' })
    .option('csv', { type: 'string', describe: 'also write a CSV: one row per step, every summary metric a column' })
    .option('json', { type: 'boolean', default: false, describe: 'print summary.json to stdout instead of the table' });
}

export const reportCommandSpec: CommandSpec = {
  name: 'report <run-dir>',
  describe: 're-render report.html (and --csv) from a run folder; rebuilds a lost summary from requests.jsonl',
  builder: reportFlags,
  async handler(args) {
    const { reportCommand } = await import('./report-command.js');
    return reportCommand(args as unknown as ReportOptions);
  },
};
