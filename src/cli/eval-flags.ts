import type { Argv } from 'yargs';
import type { CommandSpec } from './command-spec.js';
import { generateApiFlag, loadFlags } from './run-flags.js';

export function evalFlags(y: Argv) {
  return loadFlags(y)
    .option('api', generateApiFlag)
    .option('benchmark', { type: 'string', describe: 'benchmarks, comma-separated (see --list), e.g. gsm8k,mmlu' })
    .option('list', { type: 'boolean', default: false, describe: 'list the benchmarks with their splits, sizes, modes and licences' })
    .option('subset', { type: 'string', describe: 'subjects/subsets of one benchmark, comma-separated, e.g. abstract_algebra,anatomy' })
    .option('limit', { type: 'number', describe: 'at most this many items per benchmark (spread over its subsets)' })
    .option('shots', { type: 'number', describe: 'few-shot examples (default: the benchmark\'s, usually 0)' })
    .option('mode', { choices: ['generative', 'logprob'] as const, describe: 'generative (default) or letter log-probabilities where the server returns them' })
    .option('max-tokens', { type: 'number', describe: 'max_tokens of each request (default: the benchmark\'s)' })
    .option('samples', { type: 'number', default: 1, describe: 'answers per item, for pass@k (needs --temperature > 0)' })
    .option('data-dir', { type: 'string', describe: 'read the benchmark files from this folder (layout of ../shared/datasets) instead of the hub' })
    .option('allow-code-execution', { type: 'boolean', default: false, describe: 'HumanEval: run the model\'s code in the sandbox (python3 -I, limits)' })
    .option('resume', { type: 'string', describe: 'continue a stopped eval in this run folder, without re-asking what was answered' })
    .option('json', { type: 'boolean', default: false, describe: 'print eval.json to stdout instead of the table' });
}

export const evalCommandSpec: CommandSpec = {
  name: 'eval',
  describe: 'accuracy benchmarks (GSM8K, MMLU, ...) through the same engine, with latency per load level',
  builder: evalFlags,
  async handler(args) {
    const { evalCommand } = await import('./eval-command.js');
    return evalCommand(args as never);
  },
};
