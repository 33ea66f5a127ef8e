import type { Argv } from 'yargs';
import { FAULT_KINDS } from '../sim/faults.js';
import type { CommandSpec } from './command-spec.js';

export function serveFlags(y: Argv) {
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
    .option('seed', { type: 'number', default: 1, describe: 'seed for output lengths and jitter' })
    .option('faults', { type: 'string', describe: `inject faults, kind:probability list, e.g. 500:0.02,429:0.01,reset-mid:0.01 (kinds: ${FAULT_KINDS.join(', ')})` })
    .option('timings', { type: 'boolean', default: false, describe: 'add llama.cpp-style timings (prompt_ms, predicted_ms) to each response\'s final chunk' })
    .option('close-after-stream', { type: 'boolean', default: false, describe: 'close the socket after each streamed response while advertising keep-alive (as llama.cpp does)' })
    .option('request-log', { type: 'string', describe: 'tests/benchmarks: append one JSONL line per request (injected fault, content chunk write times in epoch ms)' });
}


export const serveCommandSpec: CommandSpec = {
  name: 'serve',
  describe: 'run the built-in simulated inference server on its own',
  builder: serveFlags,
  async handler(args) {
    const { serveCommand } = await import('./serve-command.js');
    return serveCommand(args);
  },
};
